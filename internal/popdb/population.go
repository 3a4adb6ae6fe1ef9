package popdb

import (
	"context"

	"github.com/motcua/motcua"
)

// CheckIdentity is Verify for motcua's services (service.Population),
// which speak in the domain's motcua.IdentityQuery.
func (c *Client) CheckIdentity(ctx context.Context, q motcua.IdentityQuery) (bool, error) {
	return c.Verify(ctx, QueryFrom(q))
}

// LookupCitizen is Lookup for motcua's services (service.Population): the
// record comes back as the domain's motcua.RegisteredCitizen.
func (c *Client) LookupCitizen(ctx context.Context, q motcua.IdentityQuery) (*motcua.RegisteredCitizen, error) {
	cz, err := c.Lookup(ctx, QueryFrom(q))
	if err != nil {
		return nil, err
	}
	r := cz.Registered()
	return &r, nil
}

// QueryFrom is the contract's query for a domain identity query.
func QueryFrom(q motcua.IdentityQuery) Query {
	return Query{ActorKind: q.ActorKind, ActorID: q.ActorID, AgencyCode: q.AgencyCode, Purpose: Purpose(q.Purpose),
		ServiceCode: q.ServiceCode, DossierID: q.DossierID, PersonalID: q.PersonalID, FullName: q.FullName,
		BirthDate: q.BirthDate}
}

// Registered is what motcua keeps and shows of the record.
func (c Citizen) Registered() motcua.RegisteredCitizen {
	return motcua.RegisteredCitizen{PersonalID: c.PersonalID, LegacyID: c.LegacyID, FullName: c.FullName, Sex: c.Sex,
		BirthDate: c.BirthDate, Ethnicity: c.Ethnicity, Nationality: c.Nationality,
		PermanentAddress: c.PermanentAddress.Detail, CurrentAddress: c.CurrentAddress.Detail}
}

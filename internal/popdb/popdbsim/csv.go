package popdbsim

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/popdb"
)

// The CSV format of simulated citizens: UTF-8, comma-separated, one header
// row naming the columns (any order; an optional UTF-8 byte order mark, as
// spreadsheet programs write, is skipped). Only personal_id, full_name and
// birth_date are required; other columns may be absent or empty. Dates are
// ISO (1990-03-15) or dd/mm/yyyy; sex is male/female (or nam/nữ) and must
// agree with the personal id, whose birth year digits must agree with
// birth_date. Names split into family/middle/given when those columns are
// empty.
var csvColumns = [...]string{
	"personal_id", "legacy_id", "full_name", "family_name", "middle_name", "given_name",
	"sex", "birth_date", "ethnicity", "religion", "marital_status",
	"birth_registration_place", "home_town",
	"permanent_province_code", "permanent_district_code", "permanent_ward_code", "permanent_detail",
	"current_province_code", "current_district_code", "current_ward_code", "current_detail",
	"nationality",
	"father_name", "father_id", "mother_name", "mother_id", "spouse_name", "spouse_id",
	"representative_name", "representative_id", "household_head_name", "household_head_id",
}

// fields maps every CSV column to its place in a Citizen.
func fields(c *popdb.Citizen) [len(csvColumns)]*string {
	return [...]*string{
		&c.PersonalID, &c.LegacyID, &c.FullName, &c.FamilyName, &c.MiddleName, &c.GivenName,
		(*string)(&c.Sex), nil, &c.Ethnicity, &c.Religion, &c.MaritalStatus,
		&c.BirthRegistrationPlace, &c.HomeTown,
		&c.PermanentAddress.ProvinceCode, &c.PermanentAddress.DistrictCode, &c.PermanentAddress.WardCode, &c.PermanentAddress.Detail,
		&c.CurrentAddress.ProvinceCode, &c.CurrentAddress.DistrictCode, &c.CurrentAddress.WardCode, &c.CurrentAddress.Detail,
		&c.Nationality,
		&c.Father.Name, &c.Father.PersonalID, &c.Mother.Name, &c.Mother.PersonalID, &c.Spouse.Name, &c.Spouse.PersonalID,
		&c.Representative.Name, &c.Representative.PersonalID, &c.HouseholdHead.Name, &c.HouseholdHead.PersonalID,
	}
}

const birthDateColumn = 7 // the one column that is not a string field

// WriteCSV writes citizens in the format LoadCSV reads, all columns.
func WriteCSV(w io.Writer, citizens []popdb.Citizen) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvColumns[:]); err != nil {
		return err
	}
	row := make([]string, len(csvColumns))
	for i := range citizens {
		c := citizens[i]
		for j, f := range fields(&c) {
			if j == birthDateColumn {
				row[j] = c.BirthDate.String()
			} else {
				row[j] = *f
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// LoadCSV reads citizens in the format of WriteCSV and checks each row:
// a valid personal id, a name, a date of birth agreeing with the id, a
// well-formed CMND, and no personal id or CMND used twice. Errors name the
// line and column.
func LoadCSV(r io.Reader) ([]popdb.Citizen, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0 // every row as wide as the header
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("popdbsim: csv: empty file, expected a header row")
	}
	if err != nil {
		return nil, fmt.Errorf("popdbsim: csv: %w", err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	index := make([]int, len(header)) // header position → csvColumns position
	seen := make(map[string]bool)
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(name))
		index[i] = -1
		for j, col := range csvColumns {
			if col == name {
				index[i] = j
			}
		}
		if index[i] < 0 {
			return nil, fmt.Errorf("popdbsim: csv: unknown column %q (known: %s)", name, strings.Join(csvColumns[:], ", "))
		}
		if seen[name] {
			return nil, fmt.Errorf("popdbsim: csv: column %q twice", name)
		}
		seen[name] = true
	}
	for _, col := range []string{"personal_id", "full_name", "birth_date"} {
		if !seen[col] {
			return nil, fmt.Errorf("popdbsim: csv: missing required column %q", col)
		}
	}

	var out []popdb.Citizen
	ids := make(map[string]int)    // personal id → line
	legacy := make(map[string]int) // CMND → line
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("popdbsim: csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		var c popdb.Citizen
		f := fields(&c)
		var birth string
		for i, v := range rec {
			v = strings.TrimSpace(v)
			if index[i] == birthDateColumn {
				birth = v
			} else {
				*f[index[i]] = v
			}
		}
		if err := completeCitizen(&c, birth); err != nil {
			return nil, fmt.Errorf("popdbsim: csv line %d: %w", line, err)
		}
		if prev, dup := ids[c.PersonalID]; dup {
			return nil, fmt.Errorf("popdbsim: csv line %d: personal_id %s already on line %d", line, c.PersonalID, prev)
		}
		ids[c.PersonalID] = line
		if c.LegacyID != "" {
			if prev, dup := legacy[c.LegacyID]; dup {
				return nil, fmt.Errorf("popdbsim: csv line %d: legacy_id %s already on line %d", line, c.LegacyID, prev)
			}
			legacy[c.LegacyID] = line
		}
		out = append(out, c)
	}
	return out, nil
}

// completeCitizen checks one row and fills what can be derived.
func completeCitizen(c *popdb.Citizen, birth string) error {
	id, err := motcua.ParsePersonalID(c.PersonalID)
	if err != nil {
		return fmt.Errorf("personal_id %q: %w", c.PersonalID, err)
	}
	if c.FullName = strings.Join(strings.Fields(c.FullName), " "); c.FullName == "" {
		return errors.New("full_name is empty")
	}
	if birth == "" {
		return errors.New("birth_date is empty")
	}
	if c.BirthDate, err = motcua.ParseDate(birth); err != nil {
		return fmt.Errorf("birth_date %q: want YYYY-MM-DD or dd/mm/yyyy", birth)
	}
	if c.BirthDate.Year != id.BirthYear {
		return fmt.Errorf("birth_date %s: personal_id %s encodes birth year %d", c.BirthDate, c.PersonalID, id.BirthYear)
	}
	switch motcua.FoldText(string(c.Sex)) {
	case "":
		c.Sex = id.Sex
	case "male", "nam":
		c.Sex = motcua.SexMale
	case "female", "nu":
		c.Sex = motcua.SexFemale
	default:
		return fmt.Errorf("sex %q: want male or female", c.Sex)
	}
	if c.Sex != id.Sex {
		return fmt.Errorf("sex %s: personal_id %s encodes %s", c.Sex, c.PersonalID, id.Sex)
	}
	if c.LegacyID != "" && !motcua.IsLegacyCMND(c.LegacyID) {
		return fmt.Errorf("legacy_id %q: want 9 digits", c.LegacyID)
	}
	for _, r := range []struct {
		col string
		id  string
	}{
		{"father_id", c.Father.PersonalID}, {"mother_id", c.Mother.PersonalID}, {"spouse_id", c.Spouse.PersonalID},
		{"representative_id", c.Representative.PersonalID}, {"household_head_id", c.HouseholdHead.PersonalID},
	} {
		if r.id != "" {
			if err := motcua.ValidatePersonalID(r.id); err != nil {
				return fmt.Errorf("%s %q: %w", r.col, r.id, err)
			}
		}
	}
	if c.FamilyName == "" && c.MiddleName == "" && c.GivenName == "" {
		c.FamilyName, c.MiddleName, c.GivenName = popdb.SplitFullName(c.FullName)
	}
	return nil
}

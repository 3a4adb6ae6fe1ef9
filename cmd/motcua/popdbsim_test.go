package main

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/popdb"
	"github.com/motcua/motcua/internal/popdb/popdbsim"
)

func TestPopdbSimGenerate(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	if err := runPopdbSim(t.Context(), []string{"--generate", "25", "--seed", "3"}, &stdout, &stderr); err != nil {
		t.Fatalf("popdb-sim --generate: %v\n%s", err, stderr.String())
	}
	citizens, err := popdbsim.LoadCSV(&stdout)
	if err != nil {
		t.Fatal(err)
	}
	if len(citizens) != 25 {
		t.Fatalf("%d citizens, want 25", len(citizens))
	}
	for _, c := range citizens {
		id, err := motcua.ParsePersonalID(c.PersonalID)
		if err != nil || id.BirthYear != c.BirthDate.Year {
			t.Fatalf("%s born %s: %v", c.PersonalID, c.BirthDate, err)
		}
	}
}

func TestPopdbSimUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--latency", "-1s"},
		{"--generate", "2000000"},
		{"--client-secret", ""},
		{"extra"},
		{"--no-such-flag"},
	} {
		err := runPopdbSim(t.Context(), args, io.Discard, io.Discard)
		if !errors.As(err, new(usageError)) {
			t.Errorf("popdb-sim %v: err = %v, want a usage error", args, err)
		}
	}
}

func TestPopdbSimServe(t *testing.T) {
	t.Parallel()
	base, stop := startSimulator(t, runPopdbSim, "--client-id", "x", "--client-secret", "y", "--log-format", "text")
	c, err := popdb.NewClient(popdb.Config{BaseURL: base, ClientID: "x", ClientSecret: "y"})
	if err != nil {
		t.Fatal(err)
	}
	ok, err := c.Verify(t.Context(), popdb.Query{Purpose: popdb.PurposeRegistration, PersonalID: demo.GuideCitizenID,
		FullName: "Trần Văn Hùng", BirthDate: motcua.Date{Year: 1990, Month: time.March, Day: 15}})
	if err != nil || !ok {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

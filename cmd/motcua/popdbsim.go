package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/motcua/motcua/internal/popdb"
	"github.com/motcua/motcua/internal/popdb/popdbsim"
)

// runPopdbSim implements "motcua popdb-sim": it serves the population
// database simulator (docs/popdb.md) until ctx is done, or with --generate
// prints a synthetic citizens CSV and exits.
func runPopdbSim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("popdb-sim",
		"Serve a simulator of the National Population Database (CSDLQG về dân cư) with synthetic citizens,\n"+
			"or print a synthetic citizens CSV with --generate. The HTTP contract is docs/popdb.md.", stderr)
	addr := fs.String("addr", envDefault("MOTCUA_POPDB_ADDR", "127.0.0.1:8091"), "address to listen on [$MOTCUA_POPDB_ADDR]")
	csvPath := fs.String("csv", envDefault("MOTCUA_POPDB_CSV", ""),
		"CSV file of citizens to serve (default: the demo citizens) [$MOTCUA_POPDB_CSV]")
	generate := fs.Int("generate", -1, "print a CSV of N synthetic citizens to stdout and exit")
	seed := fs.Int64("seed", 1, "random seed for --generate")
	clientID := fs.String("client-id", envDefault("MOTCUA_POPDB_CLIENT_ID", popdbsim.DefaultClientID),
		"client id accepted (HTTP Basic) [$MOTCUA_POPDB_CLIENT_ID]")
	clientSecret := fs.String("client-secret", envDefault("MOTCUA_POPDB_CLIENT_SECRET", popdbsim.DefaultClientSecret),
		"client secret accepted (HTTP Basic) [$MOTCUA_POPDB_CLIENT_SECRET]")
	latency := fs.Duration("latency", 0, "delay every answer by this much (change at run time: POST /admin/latency)")
	outage := fs.Bool("outage", false, "start in a simulated outage: every call answers 503 (POST /admin/outage)")
	var logCfg commonConfig
	fs.StringVar(&logCfg.LogFormat, "log-format", envDefault("MOTCUA_LOG_FORMAT", "auto"),
		"log format: auto, text or json [$MOTCUA_LOG_FORMAT]")
	fs.StringVar(&logCfg.LogLevel, "log-level", envDefault("MOTCUA_LOG_LEVEL", "info"),
		"log level: debug, info, warn or error [$MOTCUA_LOG_LEVEL]")
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	if *generate >= 0 {
		if *generate > popdbsim.MaxGenerate {
			return usageError{fmt.Sprintf("--generate must be at most %d", popdbsim.MaxGenerate)}
		}
		return popdbsim.GenerateCSV(stdout, *generate, *seed)
	}
	if *latency < 0 {
		return usageError{"--latency must not be negative"}
	}
	if *clientID == "" || *clientSecret == "" {
		return usageError{"--client-id and --client-secret must not be empty"}
	}
	logger, err := logCfg.logger(stderr)
	if err != nil {
		return err
	}

	citizens := popdbsim.DemoCitizens()
	source := "demo"
	if *csvPath != "" {
		f, err := os.Open(*csvPath)
		if err != nil {
			return err
		}
		citizens, err = popdbsim.LoadCSV(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *csvPath, err)
		}
		source = *csvPath
	}
	sim := popdbsim.New(citizens, popdbsim.Options{
		ClientID: *clientID, ClientSecret: *clientSecret, Latency: *latency, Logger: logger,
	})
	sim.SetOutage(*outage)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); *clientSecret == popdbsim.DefaultClientSecret &&
		!net.ParseIP(host).IsLoopback() {
		logger.Warn("the simulator accepts the public development secret on a non-loopback address; set --client-secret")
	}
	srv := &http.Server{
		Handler:           sim,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Answers may be delayed by --latency (up to 10 minutes at run time).
		WriteTimeout:   11 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
	}
	logger.Info("popdb simulator listening", "url", "http://"+ln.Addr().String(), "citizens", len(citizens),
		"source", source, "client_id", *clientID, "latency", latency.String(), "outage", *outage,
		"verify", popdb.PathVerify, "lookup", popdb.PathLookup, "map_legacy_id", popdb.PathMapLegacyID)

	// Answers held back by the slow modes are not worth waiting for.
	return serveUntilDone(ctx, srv, ln, logger, 5*time.Second, true)
}

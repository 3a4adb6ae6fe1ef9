package main

import (
	"context"
	"fmt"
	"github.com/motcua/motcua/internal/sqldb"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/api"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/popdb/popdbsim"
	"github.com/motcua/motcua/internal/procsearch"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/service"
	"github.com/motcua/motcua/internal/web"
)

type serveConfig struct {
	commonConfig
	trustConfig
	notifyConfig
	Addr            string
	Demo            bool
	DemoHistory     bool
	Migrate         bool
	ShutdownTimeout time.Duration
	PublicURL       string
	OIDCProviders   string
	SecureCookies   bool
	PopDBURL        string
	PopDBClientID   string
	PopDBSecret     string
	// IdentityRecheck is how often manual identity verifications due
	// for a re-check are re-checked (and the first retry delay).
	IdentityRecheck time.Duration
	Holidays        string
	SigningKeys     string
}

// runServe runs the HTTP server until ctx is done. ready, when not nil,
// is called with the listening address once the server accepts
// connections (tests listen on port 0).
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(net.Addr)) error {
	var cfg serveConfig
	fs := newFlagSet("serve", "Run the motcua HTTP server.", stderr)
	cfg.commonConfig.register(fs)
	cfg.trustConfig.register(fs)
	cfg.notifyConfig.register(fs)
	fs.StringVar(&cfg.Addr, "addr", envDefault("MOTCUA_ADDR", "127.0.0.1:8080"), "address to listen on [$MOTCUA_ADDR]")
	fs.BoolVar(&cfg.Demo, "demo", envBool("MOTCUA_DEMO"),
		"load the demo data into an empty database (implies --migrate) [$MOTCUA_DEMO]")
	fs.BoolVar(&cfg.DemoHistory, "demo-history", !envFalse("MOTCUA_DEMO_HISTORY"),
		"with --demo, also generate the 3.480 dossiers behind seed 002's Appendix I (01/01–20/03/2024) [$MOTCUA_DEMO_HISTORY]")
	fs.BoolVar(&cfg.Migrate, "migrate", envBool("MOTCUA_MIGRATE"),
		"apply pending database migrations before serving [$MOTCUA_MIGRATE]")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", 20*time.Second,
		"how long to let in-flight requests finish after SIGTERM")
	fs.StringVar(&cfg.SigningKeys, "signing-keys", envDefault("MOTCUA_SIGNING_KEYS", ""),
		"folder of agency signing keys, one <agency code>.pem each (PKCS#8 key, then the certificate chain, leaf first); in demo mode the demo CA issues them [$MOTCUA_SIGNING_KEYS]")
	fs.StringVar(&cfg.Holidays, "holidays", envDefault("MOTCUA_HOLIDAYS", ""),
		"file of extra days off and make-up working days (YYYY-MM-DD,off|work,comment per line) on top of the preloaded 2024–2027 Vietnamese public holidays [$MOTCUA_HOLIDAYS]")
	fs.StringVar(&cfg.PublicURL, "public-url", envDefault("MOTCUA_PUBLIC_URL", ""),
		"external base URL of the site, e.g. https://dichvucong.example.gov.vn (default http://ADDR) [$MOTCUA_PUBLIC_URL]")
	fs.StringVar(&cfg.OIDCProviders, "oidc-providers", envDefault("MOTCUA_OIDC_PROVIDERS", ""),
		"JSON file listing the OpenID Connect identity providers (VNeID, national portal); see docs/identity.md. "+
			"With --demo and no file, two development providers (vneid, dvcqg) are served under /dev-idp/ [$MOTCUA_OIDC_PROVIDERS]")
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", envBool("MOTCUA_SECURE_COOKIES"),
		"mark cookies Secure even on plain HTTP (TLS ends at a proxy) [$MOTCUA_SECURE_COOKIES]")
	fs.StringVar(&cfg.PopDBURL, "popdb-url", envDefault("MOTCUA_POPDB_URL", ""),
		"base URL of the national population database adapter (docs/popdb.md); with --demo and no URL the "+
			"simulator is served under /dev-popdb [$MOTCUA_POPDB_URL]")
	fs.StringVar(&cfg.PopDBClientID, "popdb-client-id", envDefault("MOTCUA_POPDB_CLIENT_ID", popdbsim.DefaultClientID),
		"client id for the population database [$MOTCUA_POPDB_CLIENT_ID]")
	fs.StringVar(&cfg.PopDBSecret, "popdb-client-secret", envDefault("MOTCUA_POPDB_CLIENT_SECRET", popdbsim.DefaultClientSecret),
		"client secret for the population database [$MOTCUA_POPDB_CLIENT_SECRET]")
	recheck := fs.String("identity-recheck-interval", envDefault("MOTCUA_IDENTITY_RECHECK_INTERVAL", "1m"),
		"how often dossiers received with a manual identity verification are re-checked against the population database "+
			"(also the first retry delay, doubled per failed attempt up to 30 times the interval, at most 30m) [$MOTCUA_IDENTITY_RECHECK_INTERVAL]")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var perr error
	if cfg.IdentityRecheck, perr = time.ParseDuration(*recheck); perr != nil || cfg.IdentityRecheck <= 0 {
		return usageError{"--identity-recheck-interval must be a positive duration such as 1m or 30s"}
	}
	logger, err := cfg.logger(stderr)
	if err != nil {
		return err
	}

	store, where, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if cfg.Migrate || cfg.Demo {
		n, err := store.Migrate(ctx)
		if err != nil {
			return err
		}
		logger.Info("database migrated", "applied", n, "database", where)
	} else if err := store.CheckSchema(ctx); err != nil {
		return err
	}
	node := newNodeID()
	wh, anchors, ca, err := openWarehouse(ctx, &cfg.commonConfig, &cfg.trustConfig, store, cfg.Demo, true)
	if err != nil {
		return err
	}
	if ca != nil {
		if err := seedDemo(ctx, &cfg, store, wh, ca, node, logger); err != nil {
			return err
		}
	}
	blobs, err := cfg.openBlobs()
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	publicURL := strings.TrimSuffix(cfg.PublicURL, "/")
	if publicURL == "" {
		publicURL = "http://" + ln.Addr().String()
	}
	auth, err := service.NewAuth(store, service.AuthConfig{Logger: logger})
	if err != nil {
		return err
	}
	idp, err := identityProviders(cfg, publicURL, logger)
	if err != nil {
		return err
	}
	pop, err := population(cfg, publicURL, store, logger, idp.mounts)
	if err != nil {
		return err
	}
	identity := service.NewIdentity(store, pop, auth)
	wh.WithPopulation(pop)
	senders, err := notifications(cfg.notifyConfig, cfg.Demo, publicURL, logger, idp.mounts, auth)
	if err != nil {
		return err
	}
	base, err := holidayCalendar(cfg.Holidays)
	if err != nil {
		return err
	}
	// Due dates count with the holidays administrators keep in the
	// database on top of the built-in ones and the --holidays file.
	cal := service.NewHolidays(store, base, service.HolidaysConfig{})
	subs := service.NewSubmissions(store, wh, identity, publicURL, nil).WithChannels(channels(senders)...).WithCalendar(cal)
	keyring, err := signingKeys(&cfg, ca, store)
	if err != nil {
		return err
	}
	certification, err := service.NewCertification(store, wh, keyring, service.CertificationConfig{})
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	registerBlobMetrics(reg, blobs)
	wcfg := web.Config{
		Store: store, Blobs: blobs, Logger: logger, Registry: reg, Version: version(),
		Auth: auth, Identity: identity, Providers: idp.providers, Mounts: idp.mounts,
		PublicURL: publicURL, SecureCookies: cfg.SecureCookies, Certification: certification,
		Warehouse: wh, Keyring: keyring, Clients: service.NewClients(store, nil), KPI: service.NewKPI(store),
		Submissions: subs, Counter: service.NewCounter(subs),
		Reception: service.NewReception(store, cal, publicURL, nil).WithChannels(channels(senders)...).WithResults(wh, keyring).
			WithResultTemplate(report.WriteResultPDF).WithCertificationFees(certification.Fees()),
		Feedback:     service.NewFeedbacks(store, wh, keyring, cal, publicURL, nil).WithChannels(channels(senders)...),
		TrustAnchors: anchors, Holidays: cal, APIClients: service.NewAPIClients(store, service.PasswordParams{}),
		Catalogue: service.NewCatalogueAdmin(store), Procedures: procsearch.NewCatalogue(store),
	}
	if ca != nil {
		wcfg.Demo = true
		wcfg.Samples = func(name string) ([]byte, error) { return ca.Sample(name, time.Now()) }
	}
	wcfg.Routes = func(mux *http.ServeMux) {
		api.Register(mux, api.Config{Store: store, Warehouse: wh, Clients: wcfg.Clients, Submissions: subs, KPI: wcfg.KPI,
			PublicURL: publicURL, Feedback: wcfg.Feedback, Reception: wcfg.Reception, Certification: certification,
			TrustAnchors: anchors, Holidays: cal, APIClients: wcfg.APIClients, Catalogue: wcfg.Catalogue,
			Procedures: wcfg.Procedures, Counter: wcfg.Counter, Blobs: blobs})
	}
	handler, err := web.New(wcfg)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		// Uploads of signed PDFs (up to tens of MB over a slow link) need a
		// generous body timeout; slow-loris headers do not.
		ReadTimeout:    2 * time.Minute,
		WriteTimeout:   2 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
	}
	logger.Info("motcua listening", "url", publicURL, "database", where, "data_dir", cfg.DataDir,
		"version", version())
	if ready != nil {
		ready(ln.Addr())
	}

	// The notification worker delivers the outbox until the server stops;
	// what it has not delivered stays queued for the next start.
	workerCtx, stopWorker := context.WithCancel(ctx)
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		w := notify.NewWorker(store, senders, notify.WorkerConfig{MaxAttempts: 30, Logger: logger.With("component", "notify")})
		if err := w.Run(workerCtx); err != nil {
			logger.Error("notification worker stopped", "err", err)
		}
	}()
	// New audit events are chained by hash within a second or so.
	go sqldb.RunAuditSealer(workerCtx, store, time.Second, logger.With("component", "audit"))
	// Stale sessions, abandoned logins, old login failures and temporary
	// blob files past their grace period are removed every ten minutes, by
	// one node of a cluster (jobs.go).
	janitorDone := make(chan struct{})
	go func() {
		defer close(janitorDone)
		tick := time.NewTicker(10 * time.Minute)
		defer tick.Stop()
		for {
			if jobLease(workerCtx, store, "cleanup", node, leaseTTL(10*time.Minute), logger) {
				if n, err := auth.CleanUp(workerCtx); err != nil && workerCtx.Err() == nil {
					logger.Error("clean up sessions", "err", err)
				} else if n > 0 {
					logger.Info("cleaned up stale sessions and logins", "rows", n)
				}
				sweepBlobTemp(workerCtx, blobs, time.Now, logger)
			}
			select {
			case <-workerCtx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	// The previous month's compilation is stored once the month has ended:
	// checked at start and hourly by the node holding the lease; the
	// month's unique key keeps one snapshot even if two compile at once.
	snapshotDone := make(chan struct{})
	go func() {
		defer close(snapshotDone)
		runMonthlySnapshots(workerCtx, wcfg.KPI, time.Hour, func() bool {
			return jobLease(workerCtx, store, "kpi-snapshot", node, leaseTTL(time.Hour), logger)
		}, logger.With("component", "kpi"))
	}()
	// Manual identity verifications are re-checked once the population
	// database answers again; the jobs are rows of the database.
	recheckDone := make(chan struct{})
	go func() {
		defer close(recheckDone)
		service.NewIdentityRechecks(store, pop, cfg.IdentityRecheck, logger.With("component", "identity-recheck")).
			Run(workerCtx, cfg.IdentityRecheck)
	}()
	err = serveUntilDone(ctx, srv, ln, logger, cfg.ShutdownTimeout, false)
	stopWorker()
	<-workerDone
	<-janitorDone
	<-snapshotDone
	<-recheckDone
	return err
}

// signingKeys is the agencies' keyring: --signing-keys, else in demo mode
// certificates the demo CA issues per agency (kept in the database; the
// folder is where a single-node install kept them before), else an empty keyring (no
// agency can sign).
func signingKeys(cfg *serveConfig, ca *demo.CA, store motcua.Store) (service.Keyring, error) {
	switch {
	case cfg.SigningKeys != "":
		keys, err := service.LoadKeyDir(cfg.SigningKeys, "")
		if err != nil {
			return nil, usageError{fmt.Sprintf("--signing-keys: %v", err)}
		}
		return keys, nil
	case ca != nil:
		return demo.NewKeyring(ca, filepath.Join(demoCADir(cfg.DataDir), "agencies"), store), nil
	}
	return service.NewKeys(), nil
}

// holidayCalendar is the built-in working-day calendar of due dates: the
// preloaded Vietnamese public holidays, plus the file's days off and
// make-up days. The holidays administrators store come on top
// (service.Holidays).
func holidayCalendar(path string) (*motcua.Calendar, error) {
	cal := motcua.DefaultCalendar()
	if path == "" {
		return cal, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, usageError{fmt.Sprintf("--holidays: %v", err)}
	}
	defer f.Close()
	off, work, err := motcua.ParseHolidays(f)
	if err != nil {
		return nil, usageError{fmt.Sprintf("--holidays %s: %s", path, motcua.ErrorMessage(err))}
	}
	return cal.With(off, work), nil
}

// seedDemo loads the demo data set, the quarter of dossiers behind seed
// 002 and the citizens' signed documents, once. Nodes of a cluster starting at once take turns
// through the "demo-seed" lease (released at the end), so the later ones
// find the work done; a holder that dies keeps the others waiting until
// its lease expires.
func seedDemo(ctx context.Context, cfg *serveConfig, store motcua.Store, wh *service.Warehouse, ca *demo.CA,
	node string, logger *slog.Logger) error {
	const lease = "demo-seed"
	for !jobLease(ctx, store, lease, node, 5*time.Minute, logger) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	defer func() { _, _ = store.TakeJobLease(context.WithoutCancel(ctx), lease, node, time.Now(), 0) }()
	sum, err := demo.Seed(ctx, store)
	if err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	if sum.AlreadySeeded {
		logger.Info("demo data already present")
	} else {
		logger.Info("demo data loaded", "agencies", sum.Agencies, "categories", sum.Categories,
			"procedures", sum.Procedures, "subjects", sum.Subjects)
	}
	// The monitors' dashboard shows seed 002's quarter from the start.
	if cfg.DemoHistory {
		n, err := demo.GenerateAnLao2024Q1(ctx, store, 1)
		switch {
		case motcua.IsKind(err, motcua.ECONFLICT):
		case err != nil:
			return fmt.Errorf("generate demo dossiers: %w", err)
		default:
			logger.Info("demo dossiers generated for 01/01–20/03/2024", "dossiers", n)
		}
	}
	n, err := demo.SeedDocuments(ctx, store, wh, ca, time.Now())
	if err != nil {
		return fmt.Errorf("seed demo documents: %w", err)
	}
	if n > 0 {
		logger.Info("demo documents signed and stored", "documents", n)
	}
	return nil
}

package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// SMTP connection security.
const (
	SMTPStartTLS = "starttls" // plain connection upgraded by STARTTLS, which is required (port 587)
	SMTPTLS      = "tls"      // TLS from the first byte (port 465)
	SMTPNone     = "none"     // no TLS: only for a relay on the same host or in tests
)

// EmailConfig configures the SMTP adapter.
type EmailConfig struct {
	// Addr is the submission server's host:port.
	Addr string
	// From is the sender, e.g. "Một cửa Bình Định <motcua@binhdinh.gov.vn>";
	// its address is also the envelope sender.
	From string
	// Username and Password authenticate with AUTH PLAIN when Username
	// is not empty (net/smtp refuses it without TLS except on loopback).
	Username string
	Password string
	// Security is SMTPStartTLS (the default), SMTPTLS or SMTPNone.
	Security string
	// HelloName is the name given in EHLO; "localhost" when empty.
	HelloName string
	// TLSConfig overrides the TLS settings (tests pass their own CA);
	// its ServerName defaults to Addr's host.
	TLSConfig *tls.Config
	// Now stamps the Date header; time.Now when nil.
	Now func() time.Time
}

// Email sends notifications as plain-text UTF-8 e-mail.
type Email struct {
	cfg  EmailConfig
	host string
	from *mail.Address
}

// NewEmail checks cfg and returns the adapter.
func NewEmail(cfg EmailConfig) (*Email, error) {
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil || host == "" {
		return nil, fmt.Errorf("email: SMTP address %q must be host:port", cfg.Addr)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("email: sender %q: %w", cfg.From, err)
	}
	switch cfg.Security {
	case "":
		cfg.Security = SMTPStartTLS
	case SMTPStartTLS, SMTPTLS, SMTPNone:
	default:
		return nil, fmt.Errorf("email: security %q must be %s, %s or %s", cfg.Security, SMTPStartTLS, SMTPTLS, SMTPNone)
	}
	if cfg.HelloName == "" {
		cfg.HelloName = "localhost"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Email{cfg: cfg, host: host, from: from}, nil
}

// Compose returns the RFC 5322 message the adapter sends for n, with CRLF
// line ends: a UTF-8 plain-text body in quoted-printable, and encoded
// words for the Vietnamese subject and sender name.
func (e *Email) Compose(n *motcua.Notification) ([]byte, error) {
	m, err := Render(n.Template, n.Params)
	if err != nil {
		return nil, err
	}
	to, err := recipientAddress(n.Recipient)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(foldHeader(k, v)) }
	header("From", e.from.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Date", e.cfg.Now().In(motcua.VietnamLocation()).Format(time.RFC1123Z))
	header("Message-ID", messageID(n.DedupeKey, e.from.Address))
	header("MIME-Version", "1.0")
	header("Content-Type", `text/plain; charset="utf-8"`)
	header("Content-Transfer-Encoding", "quoted-printable")
	// RFC 3834: tells mail servers not to answer with vacation replies.
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(m.Body + "\n")); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// foldHeader formats one header field, folded at spaces so that lines
// stay within RFC 5322's 78 characters (encoded words are at most 75, and
// the mime package separates them by spaces). A long first word goes on a
// continuation line of its own, which RFC 5322 allows.
func foldHeader(key, value string) string {
	var b strings.Builder
	b.WriteString(key + ":")
	n := b.Len()
	for _, word := range strings.Fields(value) {
		if n+1+len(word) > 78 && n > 0 {
			b.WriteString("\r\n")
			n = 0
		}
		b.WriteByte(' ')
		b.WriteString(word)
		n += 1 + len(word)
	}
	b.WriteString("\r\n")
	return b.String()
}

// recipientAddress parses a bare e-mail address; a display name or a
// second address in the outbox row is refused.
func recipientAddress(s string) (*mail.Address, error) {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != strings.TrimSpace(s) {
		return nil, Permanent(fmt.Errorf("email: recipient %q is not an e-mail address", s))
	}
	return a, nil
}

// messageID derives the Message-ID from the dedupe key, so that a message
// sent twice (at-least-once delivery) carries the same id and mail
// clients may show it once.
func messageID(dedupeKey, from string) string {
	domain := "motcua.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i+1 < len(from) {
		domain = from[i+1:]
	}
	sum := sha256.Sum256([]byte(dedupeKey))
	return "<" + hex.EncodeToString(sum[:16]) + ".motcua@" + domain + ">"
}

// Send implements Sender. SMTP 5xx replies to RCPT or DATA (no such
// mailbox, message refused) are permanent; everything else — the
// connection, TLS, authentication, a refused sender, 4xx replies — is
// retried, as it concerns the server or the configuration, not this
// message.
func (e *Email) Send(ctx context.Context, n *motcua.Notification) error {
	msg, err := e.Compose(n)
	if err != nil {
		return err
	}
	to, _ := recipientAddress(n.Recipient)

	conn, err := e.dial(ctx)
	if err != nil {
		return fmt.Errorf("email: connect to %s: %w", e.cfg.Addr, err)
	}
	defer conn.Close()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(defaultHTTPTimeout)
	}
	conn.SetDeadline(deadline)
	// net/smtp takes no context: a cancelled one ends the conversation by
	// expiring the connection's deadline.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, e.host)
	if err != nil {
		return smtpError("greeting", err, false)
	}
	defer c.Close()
	if err := c.Hello(e.cfg.HelloName); err != nil {
		return smtpError("EHLO", err, false)
	}
	if e.cfg.Security == SMTPStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fmt.Errorf("email: %s does not offer STARTTLS", e.cfg.Addr)
		}
		if err := c.StartTLS(e.tlsConfig()); err != nil {
			return smtpError("STARTTLS", err, false)
		}
	}
	if e.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", e.cfg.Username, e.cfg.Password, e.host)); err != nil {
			return smtpError("AUTH", err, false)
		}
	}
	if err := c.Mail(e.from.Address); err != nil {
		return smtpError("MAIL FROM", err, false)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return smtpError("RCPT TO", err, true)
	}
	w, err := c.Data()
	if err != nil {
		return smtpError("DATA", err, true)
	}
	if _, err := w.Write(msg); err != nil {
		return smtpError("DATA", err, true)
	}
	if err := w.Close(); err != nil {
		return smtpError("DATA", err, true)
	}
	// The message is accepted once DATA is; a failed QUIT loses nothing.
	c.Quit()
	return nil
}

func (e *Email) dial(ctx context.Context) (net.Conn, error) {
	d := &net.Dialer{Timeout: defaultHTTPTimeout}
	if e.cfg.Security == SMTPTLS {
		return (&tls.Dialer{NetDialer: d, Config: e.tlsConfig()}).DialContext(ctx, "tcp", e.cfg.Addr)
	}
	return d.DialContext(ctx, "tcp", e.cfg.Addr)
}

func (e *Email) tlsConfig() *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if e.cfg.TLSConfig != nil {
		c = e.cfg.TLSConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = e.host
	}
	return c
}

// smtpError classifies a failed step; messageStep says whether a 5xx
// reply there is about this message.
func smtpError(step string, err error, messageStep bool) error {
	err = fmt.Errorf("email: %s: %w", step, err)
	var te *textproto.Error
	if messageStep && errors.As(err, &te) && te.Code >= 500 {
		return Permanent(err)
	}
	return err
}

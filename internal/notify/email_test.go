package notify_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/notify"
)

// smtpPeer is a minimal SMTP server: enough of RFC 5321 for one client
// to authenticate and hand over messages. It records what it was told.
type smtpPeer struct {
	addr     string
	rcptCode int // reply to RCPT TO; 250 when 0

	mu       sync.Mutex
	auth     []string // decoded AUTH PLAIN responses
	from, to []string
	data     [][]byte
}

func newSMTPPeer(t *testing.T, rcptCode int) *smtpPeer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &smtpPeer{addr: ln.Addr().String(), rcptCode: rcptCode}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { p.serve(conn) })
		}
	})
	return p
}

func (p *smtpPeer) serve(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	tc := textproto.NewConn(conn)
	reply := func(format string, args ...any) { tc.PrintfLine(format, args...) }
	reply("220 mail.test ESMTP")
	for {
		line, err := tc.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			reply("250-mail.test")
			reply("250-AUTH PLAIN")
			reply("250 SIZE 10240000")
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			dec, err := base64.StdEncoding.DecodeString(resp)
			if mech != "PLAIN" || err != nil {
				reply("504 unsupported")
				continue
			}
			p.mu.Lock()
			p.auth = append(p.auth, string(dec))
			p.mu.Unlock()
			reply("235 2.7.0 Authentication successful")
		case "MAIL":
			p.mu.Lock()
			p.from = append(p.from, arg)
			p.mu.Unlock()
			reply("250 2.1.0 OK")
		case "RCPT":
			if p.rcptCode != 0 && p.rcptCode != 250 {
				reply("%d 5.1.1 No such mailbox", p.rcptCode)
				continue
			}
			p.mu.Lock()
			p.to = append(p.to, arg)
			p.mu.Unlock()
			reply("250 2.1.5 OK")
		case "DATA":
			reply("354 End data with <CR><LF>.<CR><LF>")
			// The raw bytes, to check the line ends and the encoding.
			var raw bytes.Buffer
			for {
				l, err := tc.R.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				raw.WriteString(strings.TrimPrefix(l, ".")) // undo dot-stuffing
			}
			p.mu.Lock()
			p.data = append(p.data, raw.Bytes())
			p.mu.Unlock()
			reply("250 2.0.0 OK queued")
		case "QUIT":
			reply("221 2.0.0 Bye")
			return
		case "RSET", "NOOP":
			reply("250 OK")
		default:
			reply("502 5.5.2 Command not recognized")
		}
	}
}

func (p *smtpPeer) messages() [][]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([][]byte(nil), p.data...)
}

func TestEmailDelivery(t *testing.T) {
	t.Parallel()
	peer := newSMTPPeer(t, 0)
	sentAt := time.Date(2024, 3, 20, 1, 30, 0, 0, time.UTC)
	email, err := notify.NewEmail(notify.EmailConfig{Addr: peer.addr, From: "Một cửa Bình Định <motcua@binhdinh.gov.vn>",
		Username: "motcua", Password: "bí mật", Security: notify.SMTPNone, HelloName: "motcua.test",
		Now: func() time.Time { return sentAt }})
	if err != nil {
		t.Fatal(err)
	}
	s := newStore(t)
	c := newClock()
	n := enqueue(t, s, motcua.ChannelEmail, "an@example.vn", "d1:received:email", c.Now())
	w := notify.NewWorker(s, notify.Router{motcua.ChannelEmail: email}, notify.WorkerConfig{Now: c.Now})
	runOnce(t, w, 1)
	if got := get(t, s, n.ID); got.DeliveredAt.IsZero() || got.LastError != "" {
		t.Fatalf("after sending: %+v", got)
	}

	peer.mu.Lock()
	auth, from, to := peer.auth, peer.from, peer.to
	peer.mu.Unlock()
	if len(auth) != 1 || auth[0] != "\x00motcua\x00bí mật" {
		t.Errorf("AUTH PLAIN = %q", auth)
	}
	if len(from) != 1 || !strings.HasPrefix(from[0], "FROM:<motcua@binhdinh.gov.vn>") ||
		len(to) != 1 || to[0] != "TO:<an@example.vn>" {
		t.Errorf("envelope: MAIL %q, RCPT %q", from, to)
	}
	msgs := peer.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages received, want 1", len(msgs))
	}
	raw := msgs[0]
	for i, line := range strings.SplitAfter(string(raw), "\n") {
		if line == "" {
			continue
		}
		if !strings.HasSuffix(line, "\r\n") || strings.Contains(strings.TrimSuffix(line, "\r\n"), "\r") {
			t.Errorf("line %d does not end in CRLF: %q", i, line)
		}
		if len(line) > 78+2 {
			t.Errorf("line %d is %d bytes long: %q", i, len(line), line)
		}
	}
	for i, b := range raw {
		if b >= 0x80 {
			t.Fatalf("byte %d is not 7-bit: the message must be ASCII on the wire", i)
		}
	}

	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	header := func(k string) string {
		v, err := dec.DecodeHeader(m.Header.Get(k))
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		return v
	}
	for k, want := range map[string]string{
		"Subject":                   "Hồ sơ " + dossierCode + " đã được gửi",
		"From":                      "Một cửa Bình Định <motcua@binhdinh.gov.vn>",
		"To":                        "<an@example.vn>",
		"Date":                      "Wed, 20 Mar 2024 08:30:00 +0700",
		"MIME-Version":              "1.0",
		"Content-Type":              `text/plain; charset="utf-8"`,
		"Content-Transfer-Encoding": "quoted-printable",
		"Auto-Submitted":            "auto-generated",
	} {
		if got := header(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if from, err := m.Header.AddressList("From"); err != nil || from[0].Name != "Một cửa Bình Định" {
		t.Errorf("From does not parse back: %v %v", from, err)
	}
	if id := m.Header.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, ".motcua@binhdinh.gov.vn>") {
		t.Errorf("Message-ID = %q", id)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatal(err)
	}
	want := "Kính gửi Ông/Bà,\r\n\r\nHồ sơ " + dossierCode + " (Đăng ký khai sinh) đã được gửi đến UBND phường Trần Phú.\r\n" +
		"Hạn trả kết quả: 21/03/2024.\r\nTra cứu tình trạng hồ sơ: https://dichvucong.binhdinh.gov.vn/TraCuu?ma=" + dossierCode + "\r\n\r\n"
	if !strings.HasPrefix(string(body), want) {
		t.Errorf("body:\n%s\nwant it to start with:\n%s", body, want)
	}

	// The same message composed again (a redelivery) has the same Message-ID.
	again, err := email.Compose(n)
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := mail.ReadMessage(bufio.NewReader(bytes.NewReader(again)))
	if m2.Header.Get("Message-ID") != m.Header.Get("Message-ID") {
		t.Errorf("Message-ID changed between attempts")
	}
}

func TestEmailFailures(t *testing.T) {
	t.Parallel()
	n := &motcua.Notification{Channel: motcua.ChannelEmail, Recipient: "an@example.vn",
		Template: notify.TemplateDossierStatus, Params: map[string]string{"code": dossierCode, "status": "Đã xử lý xong"},
		DedupeKey: "k"}
	newEmail := func(addr, security string) *notify.Email {
		e, err := notify.NewEmail(notify.EmailConfig{Addr: addr, From: "motcua@binhdinh.gov.vn", Security: security})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	for _, tc := range []struct {
		name      string
		email     *notify.Email
		n         *motcua.Notification
		permanent bool
		want      string
	}{
		{"mailbox refused", newEmail(newSMTPPeer(t, 550).addr, notify.SMTPNone), n, true, "RCPT TO: 550"},
		{"mailbox busy", newEmail(newSMTPPeer(t, 450).addr, notify.SMTPNone), n, false, "RCPT TO: 450"},
		{"STARTTLS required", newEmail(newSMTPPeer(t, 0).addr, notify.SMTPStartTLS), n, false, "does not offer STARTTLS"},
		{"server down", newEmail(closedAddr(t), notify.SMTPNone), n, false, "connect"},
		{"bad recipient", newEmail(newSMTPPeer(t, 0).addr, notify.SMTPNone),
			&motcua.Notification{Recipient: "An <an@example.vn>", Template: n.Template, Params: n.Params}, true, "not an e-mail address"},
	} {
		err := tc.email.Send(t.Context(), tc.n)
		if err == nil || notify.IsPermanent(err) != tc.permanent || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v (permanent %v), want %q, permanent %v", tc.name, err, notify.IsPermanent(err), tc.want, tc.permanent)
		}
	}
	for _, cfg := range []notify.EmailConfig{
		{Addr: "mail.test", From: "a@b.vn"},
		{Addr: "mail.test:587", From: "not an address"},
		{Addr: "mail.test:587", From: "a@b.vn", Security: "ssl"},
	} {
		if _, err := notify.NewEmail(cfg); err == nil {
			t.Errorf("NewEmail(%+v) accepted", cfg)
		}
	}
}

// closedAddr returns an address where nothing listens.
func closedAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

package main

import (
	"flag"
	"log/slog"
	"net/http"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/notify/notifysim"
)

// notifyConfig selects the notification gateways.
type notifyConfig struct {
	ZaloURL, ZaloToken           string
	SMSURL, SMSKey, SMSBrandname string
	SMTPAddr, SMTPFrom           string
	SMTPUser, SMTPPassword       string
}

func (c *notifyConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.ZaloURL, "zalo-url", envDefault("MOTCUA_ZALO_URL", ""), "Zalo ZNS API base URL; empty disables Zalo [$MOTCUA_ZALO_URL]")
	fs.StringVar(&c.ZaloToken, "zalo-token", envDefault("MOTCUA_ZALO_ACCESS_TOKEN", ""), "Zalo ZNS access token [$MOTCUA_ZALO_ACCESS_TOKEN]")
	fs.StringVar(&c.SMSURL, "sms-url", envDefault("MOTCUA_SMS_URL", ""), "SMS brandname gateway base URL; empty disables SMS [$MOTCUA_SMS_URL]")
	fs.StringVar(&c.SMSKey, "sms-key", envDefault("MOTCUA_SMS_API_KEY", ""), "SMS gateway API key [$MOTCUA_SMS_API_KEY]")
	fs.StringVar(&c.SMSBrandname, "sms-brandname", envDefault("MOTCUA_SMS_BRANDNAME", "MOTCUA"), "SMS brandname [$MOTCUA_SMS_BRANDNAME]")
	fs.StringVar(&c.SMTPAddr, "smtp-addr", envDefault("MOTCUA_SMTP_ADDR", ""), "SMTP server host:port; empty disables e-mail [$MOTCUA_SMTP_ADDR]")
	fs.StringVar(&c.SMTPFrom, "smtp-from", envDefault("MOTCUA_SMTP_FROM", ""), "sender address of e-mails [$MOTCUA_SMTP_FROM]")
	fs.StringVar(&c.SMTPUser, "smtp-user", envDefault("MOTCUA_SMTP_USER", ""), "SMTP user [$MOTCUA_SMTP_USER]")
	fs.StringVar(&c.SMTPPassword, "smtp-password", envDefault("MOTCUA_SMTP_PASSWORD", ""), "SMTP password [$MOTCUA_SMTP_PASSWORD]")
}

// notifications builds the senders. In demo mode without configured
// gateways, the gateway simulator is served under /dev-notify and both
// Zalo and SMS go to it; its page shows what citizens received.
func notifications(c notifyConfig, demoMode bool, publicURL string, logger *slog.Logger, mounts map[string]http.Handler) (notify.Router, error) {
	router := notify.Router{}
	if demoMode && c.ZaloURL == "" && c.SMSURL == "" {
		mounts["/dev-notify"] = notifysim.New(notifysim.Options{Logger: logger.With("component", "notify-sim")})
		c.ZaloURL, c.ZaloToken = publicURL+"/dev-notify", notifysim.DefaultAccessToken
		c.SMSURL, c.SMSKey = publicURL+"/dev-notify", notifysim.DefaultAPIKey
	}
	if c.ZaloURL != "" {
		z, err := notify.NewZalo(notify.ZaloConfig{BaseURL: c.ZaloURL, AccessToken: c.ZaloToken, TemplateIDs: notifysim.DefaultTemplateIDs()})
		if err != nil {
			return nil, usageError{err.Error()}
		}
		router[motcua.ChannelZalo] = z
	}
	if c.SMSURL != "" {
		s, err := notify.NewSMS(notify.SMSConfig{BaseURL: c.SMSURL, APIKey: c.SMSKey, Brandname: c.SMSBrandname})
		if err != nil {
			return nil, usageError{err.Error()}
		}
		router[motcua.ChannelSMS] = s
	}
	if c.SMTPAddr != "" {
		e, err := notify.NewEmail(notify.EmailConfig{Addr: c.SMTPAddr, From: c.SMTPFrom, Username: c.SMTPUser, Password: c.SMTPPassword})
		if err != nil {
			return nil, usageError{err.Error()}
		}
		router[motcua.ChannelEmail] = e
	}
	return router, nil
}

// channels lists the channels a router can deliver on.
func channels(r notify.Router) []motcua.NotifyChannel {
	var out []motcua.NotifyChannel
	for _, ch := range []motcua.NotifyChannel{motcua.ChannelZalo, motcua.ChannelSMS, motcua.ChannelEmail} {
		if r[ch] != nil {
			out = append(out, ch)
		}
	}
	return out
}

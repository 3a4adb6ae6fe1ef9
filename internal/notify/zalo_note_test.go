package notify_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/notify/notifysim"
)

// TestZaloCarriesTheReason: the Zalo message of a status change carries
// the optional note (the reason of a supplement request or a refusal), as
// the SMS does; without a note the parameter is sent empty.
func TestZaloCarriesTheReason(t *testing.T) {
	var got []notify.ZaloRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req notify.ZaloRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Error(err)
		}
		got = append(got, req)
		_, _ = w.Write([]byte(`{"error":0,"message":"Success","data":{"msg_id":"1"}}`))
	}))
	defer srv.Close()
	zalo, err := notify.NewZalo(notify.ZaloConfig{BaseURL: srv.URL, AccessToken: "t", TemplateIDs: notifysim.DefaultTemplateIDs()})
	if err != nil {
		t.Fatal(err)
	}
	reason := "Lý do: Tờ khai chưa có chữ ký. Thành phần cần bổ sung: Tờ khai đăng ký kết hôn."
	for _, note := range []string{reason, ""} {
		n := &motcua.Notification{Channel: motcua.ChannelZalo, Recipient: "0905123456", Template: notify.TemplateDossierStatus,
			Params: map[string]string{"code": "000.23.01.H08-240320-0001", "status": "Yêu cầu bổ sung", "note": note}, DedupeKey: "k" + note}
		if err := zalo.Send(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 {
		t.Fatalf("%d requests", len(got))
	}
	if v, ok := got[0].TemplateData["note"]; !ok || v != reason {
		t.Errorf("template data %v lacks the reason", got[0].TemplateData)
	}
	if v, ok := got[1].TemplateData["note"]; !ok || v != "" {
		t.Errorf("template data without a note: %v", got[1].TemplateData)
	}
}

package notifysim

import (
	"html/template"
	"net/http"
	"time"

	"github.com/motcua/motcua"
)

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.In(motcua.VietnamLocation()).Format("02/01/2006 15:04:05") },
	"channel": func(c string) string {
		switch c {
		case "zalo":
			return "Zalo (ZNS)"
		case "sms":
			return "SMS"
		}
		return c
	},
	"local": func(p string) string {
		if len(p) == 11 && p[:2] == "84" {
			return "0" + p[2:]
		}
		return p
	},
}).Parse(`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5">
<title>Tin nhắn đã nhận — mô phỏng cổng Zalo và SMS</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1rem; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.4rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #767676; padding: .4rem .5rem; text-align: left; vertical-align: top; }
th { background: #e8eef7; }
td.text { white-space: pre-wrap; }
.scroll { overflow-x: auto; }
.state { margin: .5rem 0 1rem; }
form { display: inline; }
button { font: inherit; padding: .3rem .7rem; margin: .1rem; }
button[aria-pressed="true"] { font-weight: bold; outline: 2px solid #0b57d0; }
</style>
</head>
<body>
<main>
<h1>Tin nhắn đã nhận</h1>
<p>Mô phỏng cổng gửi tin Zalo (ZNS) và SMS brandname của hệ thống một cửa điện tử. Không tin nhắn nào được gửi thật.
Trang tự làm mới sau 5 giây.</p>
<p class="state">Đã nhận: <strong>{{.State.Received}}</strong> tin ·
Tin trùng đã bỏ qua: <strong>{{.State.Duplicates}}</strong> ·
Yêu cầu không hợp lệ: <strong>{{.State.Rejected}}</strong> ·
Lỗi mô phỏng đã trả: <strong>{{.State.Failed}}</strong></p>
<section aria-labelledby="mode-title">
<h2 id="mode-title">Chế độ mô phỏng lỗi: {{.ModeLabel}}</h2>
{{range .Modes}}<form method="post" action="admin/failure"><input type="hidden" name="mode" value="{{.Mode}}"><button type="submit" aria-pressed="{{.Current}}">{{.Label}}</button></form>
{{end}}<form method="post" action="admin/reset"><button type="submit">Xóa danh sách</button></form>
</section>
<h2>Danh sách tin nhắn (mới nhất trước)</h2>
{{if .Messages}}<div class="scroll"><table>
<thead><tr><th scope="col">Thời gian</th><th scope="col">Kênh</th><th scope="col">Số điện thoại</th><th scope="col">Nội dung</th></tr></thead>
<tbody>
{{range .Messages}}<tr><td>{{when .ReceivedAt}}</td><td>{{channel .Channel}}{{if .Brandname}} ({{.Brandname}}){{end}}</td><td>{{local .Phone}}</td><td class="text">{{.Text}}</td></tr>
{{end}}</tbody>
</table></div>{{else}}<p>Chưa nhận được tin nhắn nào.</p>{{end}}
</main>
</body>
</html>
`))

var modeLabels = []struct {
	Mode  Mode
	Label string
}{
	{ModeNone, "Bình thường"},
	{Mode503, "Lỗi 503 (tạm thời, gửi lại sau)"},
	{Mode400, "Lỗi 400 (từ chối, không gửi lại)"},
	{ModeSlow, "Phản hồi chậm"},
}

func (s *Simulator) page(w http.ResponseWriter, _ *http.Request) {
	st := s.State()
	type modeButton struct {
		Mode    Mode
		Label   string
		Current bool
	}
	data := struct {
		State     State
		ModeLabel string
		Modes     []modeButton
		Messages  []Message
	}{State: st, Messages: s.Messages()}
	for _, m := range modeLabels {
		data.Modes = append(data.Modes, modeButton{m.Mode, m.Label, m.Mode == st.Mode})
		if m.Mode == st.Mode {
			data.ModeLabel = m.Label
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := pageTemplate.Execute(w, data); err != nil {
		s.log.Error("render page", "err", err)
	}
}

package motcua

import (
	"math/big"
	"strconv"
	"strings"
)

// IndicatorDef is one Decision 766 indicator: what it counts, over what,
// and how it is scored. Indicators lists every indicator the system
// reports; the exports, the API, the charts and the public page all read
// this one table.
type IndicatorDef struct {
	// Code is the indicator's number in Decision 766's table ("4.3").
	Code string
	// Key names the indicator in JSON and URLs ("reuse").
	Key string
	// Name is the Vietnamese title shown to users.
	Name string
	// Numerator and Denominator say in Vietnamese what is counted.
	Numerator, Denominator string
	// FullAt is the rate (%) at or above which the score is full; below
	// it the score is rate ÷ FullAt. 100 means "in proportion".
	FullAt int64
	// Drill lists the dossiers of the numerator (or, for 2.1, of its
	// complement, the late ones); empty when the drill-down uses its own
	// filter (4.3: reused=1).
	Drill Indicator
	// Value returns the numerator and denominator of a count.
	Value func(AgencyCount) Rate
}

// Rate returns the indicator's rate for c.
func (d IndicatorDef) Rate(c AgencyCount) Rate { return d.Value(c) }

// Score returns the indicator's score for c, out of 1.
func (d IndicatorDef) Score(c AgencyCount) Score {
	r := d.Value(c)
	if r.Den <= 0 {
		return Score{0, 1}
	}
	// min(rate / FullAt, 1) = min(num × 100, den × FullAt) / (den × FullAt)
	num, den := r.Num*100, r.Den*d.FullAt
	return Score{min(num, den), den}
}

// Indicators are Decision 766's service indicators that the system
// computes, in the decision's order. Their counts are defined per dossier
// by IndicatorsOf.
var Indicators = []IndicatorDef{
	{Code: "2.1", Key: "on_time", Name: "Tỷ lệ hồ sơ giải quyết trước và đúng hạn",
		Numerator: "Hồ sơ đã giải quyết hoặc đang giải quyết trong hạn", Denominator: "Hồ sơ tiếp nhận trong kỳ",
		FullAt: 100, Drill: IndicatorLate, Value: func(c AgencyCount) Rate { return Rate{c.Received - c.Late, c.Received} }},
	{Code: "3.3", Key: "online", Name: "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
		Numerator: "Hồ sơ tiếp nhận trực tuyến", Denominator: "Hồ sơ tiếp nhận trong kỳ",
		FullAt: 100, Drill: IndicatorOnline, Value: func(c AgencyCount) Rate { return Rate{c.Online, c.Received} }},
	{Code: "4.1", Key: "e_result", Name: "Tỷ lệ cấp kết quả giải quyết TTHC điện tử",
		Numerator: "Hồ sơ có kết quả điện tử", Denominator: "Hồ sơ của thủ tục có kết quả",
		FullAt: 100, Drill: IndicatorEResult, Value: func(c AgencyCount) Rate { return Rate{c.EResult, c.ResultExpected} }},
	{Code: "4.2", Key: "digitized", Name: "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC",
		Numerator: "Hồ sơ số hóa đầy đủ thành phần và kết quả", Denominator: "Hồ sơ tiếp nhận trong kỳ",
		FullAt: 80, Drill: IndicatorDigitized, Value: func(c AgencyCount) Rate { return Rate{c.Digitized, c.Received} }},
	{Code: "4.3", Key: "reuse", Name: "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa",
		Numerator: "Hồ sơ có thành phần sử dụng lại dữ liệu số hóa", Denominator: "Hồ sơ tiếp nhận trong kỳ",
		FullAt: ReuseFullScore, Value: func(c AgencyCount) Rate { return Rate{c.Reused, c.Received} }},
	{Code: "4.4", Key: "shared", Name: "Tỷ lệ hồ sơ chia sẻ dữ liệu số hóa",
		Numerator: "Hồ sơ lấy thành phần từ kho hoặc chia sẻ kết quả điện tử", Denominator: "Hồ sơ tiếp nhận trong kỳ",
		FullAt: 100, Drill: IndicatorShared, Value: func(c AgencyCount) Rate { return Rate{c.Shared, c.Received} }},
	{Code: "4.5", Key: "verified", Name: "Tỷ lệ khai thác dữ liệu từ CSDLQG về dân cư",
		Numerator: "Hồ sơ có chủ hồ sơ được xác thực với CSDLQG về dân cư", Denominator: "Hồ sơ tiếp nhận trong kỳ",
		FullAt: 100, Drill: IndicatorVerified, Value: func(c AgencyCount) Rate { return Rate{c.Verified, c.Received} }},
}

// IndicatorByCode returns the indicator numbered code ("4.3") or keyed
// key ("reuse").
func IndicatorByCode(code string) (IndicatorDef, bool) {
	for _, d := range Indicators {
		if d.Code == code || d.Key == code {
			return d, true
		}
	}
	return IndicatorDef{}, false
}

// ScoreDecimals is the one rounding of a score, wherever it is shown or
// exported: half up to two decimals of the exact fraction.
const ScoreDecimals = 2

// Score is an indicator's score out of 1, kept as an exact fraction.
type Score struct {
	Num, Den int64
}

// String formats the score rounded half up to ScoreDecimals, with sep as
// the decimal separator: "0,75".
func (s Score) String(sep string) string {
	if s.Den <= 0 {
		return roundFraction(0, 1, ScoreDecimals, sep)
	}
	return roundFraction(s.Num, s.Den, ScoreDecimals, sep)
}

// Rounded is the score rounded as String rounds it, for JSON numbers and
// spreadsheet cells.
func (s Score) Rounded() float64 {
	f, _ := strconv.ParseFloat(s.String("."), 64)
	return f
}

// roundFraction formats num ÷ den rounded half up to decimals, from the
// exact fraction (never from a rounded value).
func roundFraction(num, den int64, decimals int, sep string) string {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)
	// round(num × 10^d / den) half up = floor((2 × num × 10^d + den) / (2 × den))
	n := new(big.Int).Mul(big.NewInt(num), big.NewInt(2))
	n.Mul(n, scale)
	n.Add(n, big.NewInt(den))
	q := n.Div(n, new(big.Int).Mul(big.NewInt(den), big.NewInt(2)))
	s := q.String()
	if decimals == 0 {
		return s
	}
	for len(s) <= decimals {
		s = "0" + s
	}
	return s[:len(s)-decimals] + sep + s[len(s)-decimals:]
}

// zeroFraction is how a fraction with nothing counted shows.
func zeroFraction(decimals int, sep string) string {
	if decimals == 0 {
		return "0"
	}
	return "0" + sep + strings.Repeat("0", decimals)
}

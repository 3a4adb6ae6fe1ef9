package pdfsig

import (
	"bytes"
	"fmt"
	"strconv"
	"time"
)

// The PDF object model. A parsed object is one of: nil (null), bool, int64,
// float64, Name, String, Array, Dict, Ref or *Stream.
type (
	// Name is a PDF name without the leading slash.
	Name string
	// Array is a PDF array.
	Array []any
	// Dict is a PDF dictionary.
	Dict map[Name]any
	// Ref is an indirect reference "Num Gen R".
	Ref struct{ Num, Gen int }
)

// String is a PDF string. Start and End are the byte offsets of its
// delimiters in the file (End is one past the closing delimiter) when it was
// parsed from the file itself, or -1 when it came from a decoded stream.
type String struct {
	Value      []byte
	Hex        bool
	Start, End int64
}

// Stream is a PDF stream: its dictionary and the raw (still encoded) data.
type Stream struct {
	Dict Dict
	Raw  []byte
	// Offset of the first data byte in the file, or -1 inside an object stream.
	Offset int64
}

// errBudget is returned when a hostile or pathological file exhausts a limit.
var errBudget = ErrTooComplex

// syntaxError reports malformed PDF syntax at a file offset.
type syntaxError struct {
	off int64
	msg string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("pdf syntax at %d: %s", e.off, e.msg) }

// budget bounds the work done on one file: parsed objects, nesting depth,
// decoded bytes and wall-clock time. One budget is shared by everything that
// parses the same file.
type budget struct {
	ops        int64
	maxOps     int64
	maxDepth   int
	maxStream  int64
	decoded    int64
	maxDecoded int64
	deadline   time.Time
	// hardDeadline is the caller's context deadline, which pause does
	// not extend.
	hardDeadline time.Time
	now          func() time.Time
	done         <-chan struct{} // the caller's context
}

func (b *budget) step(n int64) error {
	b.ops += n
	if b.ops > b.maxOps {
		return fmt.Errorf("%w: more than %d parsing steps", errBudget, b.maxOps)
	}
	// Checking the clock on every call would dominate small parses.
	if b.ops&0x3ff < n {
		return b.checkTime()
	}
	return nil
}

// pause stops the time budget's clock until the returned function is
// called, for work bounded otherwise (network fetches with their own
// timeouts). The caller's context deadline still applies.
func (b *budget) pause() (resume func()) {
	if b.deadline.IsZero() {
		return func() {}
	}
	start := b.now()
	return func() {
		b.deadline = b.deadline.Add(b.now().Sub(start))
		if !b.hardDeadline.IsZero() && b.deadline.After(b.hardDeadline) {
			b.deadline = b.hardDeadline
		}
	}
}

func (b *budget) checkTime() error {
	if !b.deadline.IsZero() && b.now().After(b.deadline) {
		return fmt.Errorf("%w: time budget exhausted", errBudget)
	}
	select {
	case <-b.done:
		return fmt.Errorf("%w: cancelled", errBudget)
	default:
	}
	return nil
}

// streamLimit is how many decoded bytes the next stream may produce.
func (b *budget) streamLimit() int64 {
	limit := b.maxDecoded - b.decoded
	if b.maxStream > 0 && b.maxStream < limit {
		limit = b.maxStream
	}
	return max(limit, 0)
}

func (b *budget) addDecoded(n int64) error {
	b.decoded += n
	if b.decoded > b.maxDecoded {
		return fmt.Errorf("%w: streams decode to more than %d bytes", errBudget, b.maxDecoded)
	}
	return nil
}

// lexer reads PDF tokens from buf; base is the file offset of buf[0] (or -1
// when buf is decoded stream data, so positions are meaningless).
type lexer struct {
	buf  []byte
	pos  int
	base int64
	b    *budget
}

func isWhite(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func (l *lexer) errorf(format string, args ...any) error {
	off := int64(l.pos)
	if l.base >= 0 {
		off += l.base
	}
	return &syntaxError{off: off, msg: fmt.Sprintf(format, args...)}
}

func (l *lexer) fileOff(p int) int64 {
	if l.base < 0 {
		return -1
	}
	return l.base + int64(p)
}

// skipSpace skips whitespace and comments.
func (l *lexer) skipSpace() {
	for l.pos < len(l.buf) {
		c := l.buf[l.pos]
		if isWhite(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(l.buf) && l.buf[l.pos] != '\n' && l.buf[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		return
	}
}

// keyword reads a regular token (number, keyword) without interpreting it.
func (l *lexer) regular() []byte {
	start := l.pos
	for l.pos < len(l.buf) && !isWhite(l.buf[l.pos]) && !isDelim(l.buf[l.pos]) {
		l.pos++
	}
	return l.buf[start:l.pos]
}

// peekKeyword reports whether the next token is kw, without consuming it.
func (l *lexer) peekKeyword(kw string) bool {
	save := l.pos
	l.skipSpace()
	tok := l.regular()
	l.pos = save
	return string(tok) == kw
}

func (l *lexer) expectKeyword(kw string) error {
	l.skipSpace()
	tok := l.regular()
	if string(tok) != kw {
		return l.errorf("expected %q, found %q", kw, truncate(tok))
	}
	return nil
}

func truncate(b []byte) string {
	if len(b) > 20 {
		b = b[:20]
	}
	return string(b)
}

// readInt reads a non-negative or negative integer token.
func (l *lexer) readInt() (int64, error) {
	l.skipSpace()
	tok := l.regular()
	n, err := strconv.ParseInt(string(tok), 10, 64)
	if err != nil {
		return 0, l.errorf("expected integer, found %q", truncate(tok))
	}
	return n, nil
}

// object parses one direct object. References "n g R" are recognised.
func (l *lexer) object(depth int) (any, error) {
	if err := l.b.step(1); err != nil {
		return nil, err
	}
	if depth > l.b.maxDepth {
		return nil, fmt.Errorf("%w: nested deeper than %d", errBudget, l.b.maxDepth)
	}
	l.skipSpace()
	if l.pos >= len(l.buf) {
		return nil, l.errorf("unexpected end of data")
	}
	c := l.buf[l.pos]
	switch c {
	case '/':
		return l.name()
	case '(':
		return l.literalString()
	case '<':
		if l.pos+1 < len(l.buf) && l.buf[l.pos+1] == '<' {
			return l.dict(depth)
		}
		return l.hexString()
	case '[':
		l.pos++
		var arr Array
		for {
			l.skipSpace()
			if l.pos >= len(l.buf) {
				return nil, l.errorf("unterminated array")
			}
			if l.buf[l.pos] == ']' {
				l.pos++
				return arr, nil
			}
			v, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
	case ')', '>', ']', '{', '}':
		return nil, l.errorf("unexpected delimiter %q", c)
	}
	tok := l.regular()
	switch string(tok) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if len(tok) == 0 {
		return nil, l.errorf("unexpected byte %q", c)
	}
	if isIntToken(tok) {
		n, err := strconv.ParseInt(string(tok), 10, 64)
		if err != nil {
			return nil, l.errorf("bad integer %q", truncate(tok))
		}
		// "n g R" is a reference; look ahead without committing.
		if n >= 0 && n <= maxObjNum {
			save := l.pos
			l.skipSpace()
			g := l.regular()
			if isIntToken(g) && len(g) <= 6 && g[0] != '-' && g[0] != '+' {
				l.skipSpace()
				if l.pos < len(l.buf) && l.buf[l.pos] == 'R' && (l.pos+1 == len(l.buf) || isWhite(l.buf[l.pos+1]) || isDelim(l.buf[l.pos+1])) {
					l.pos++
					gen, _ := strconv.Atoi(string(g))
					return Ref{Num: int(n), Gen: gen}, nil
				}
			}
			l.pos = save
		}
		return n, nil
	}
	f, err := strconv.ParseFloat(string(tok), 64)
	if err != nil || !isRealToken(tok) {
		return nil, l.errorf("unexpected token %q", truncate(tok))
	}
	return f, nil
}

const maxObjNum = 1<<23 - 1

// dupKey marks a dictionary in which some key appeared twice. It cannot
// collide with a real name because names cannot contain NUL.
const dupKey Name = "\x00dup"

func isIntToken(t []byte) bool {
	if len(t) == 0 || len(t) > 19 {
		return false
	}
	i := 0
	if t[0] == '-' || t[0] == '+' {
		i = 1
	}
	if i == len(t) {
		return false
	}
	for ; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return false
		}
	}
	return true
}

func isRealToken(t []byte) bool {
	for _, c := range t {
		if (c < '0' || c > '9') && c != '.' && c != '-' && c != '+' {
			return false
		}
	}
	return true
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func (l *lexer) name() (Name, error) {
	l.pos++ // '/'
	start := l.pos
	for l.pos < len(l.buf) && !isWhite(l.buf[l.pos]) && !isDelim(l.buf[l.pos]) {
		l.pos++
	}
	raw := l.buf[start:l.pos]
	if bytes.IndexByte(raw, '#') < 0 {
		return Name(raw), nil
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] == '#' && i+2 < len(raw) && unhex(raw[i+1]) >= 0 && unhex(raw[i+2]) >= 0 {
			out = append(out, byte(unhex(raw[i+1])<<4|unhex(raw[i+2])))
			i += 2
			continue
		}
		out = append(out, raw[i])
	}
	return Name(out), nil
}

func (l *lexer) hexString() (String, error) {
	start := l.pos
	l.pos++
	end := bytes.IndexByte(l.buf[l.pos:], '>')
	if end < 0 {
		return String{}, l.errorf("unterminated hex string")
	}
	body := l.buf[l.pos : l.pos+end]
	l.pos += end + 1
	out := make([]byte, 0, len(body)/2+1)
	hi := -1
	for _, c := range body {
		v := unhex(c)
		if v < 0 {
			if isWhite(c) {
				continue
			}
			return String{}, &syntaxError{off: l.fileOff(start), msg: "bad hex string"}
		}
		if hi < 0 {
			hi = v
		} else {
			out = append(out, byte(hi<<4|v))
			hi = -1
		}
	}
	if hi >= 0 {
		out = append(out, byte(hi<<4))
	}
	return String{Value: out, Hex: true, Start: l.fileOff(start), End: l.fileOff(l.pos)}, nil
}

func (l *lexer) literalString() (String, error) {
	start := l.pos
	l.pos++
	var out []byte
	depth := 1
	for l.pos < len(l.buf) {
		c := l.buf[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return String{Value: out, Start: l.fileOff(start), End: l.fileOff(l.pos)}, nil
			}
		case '\\':
			if l.pos >= len(l.buf) {
				return String{}, l.errorf("unterminated string")
			}
			e := l.buf[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(l.buf) && l.buf[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(l.buf) && l.buf[l.pos] >= '0' && l.buf[l.pos] <= '7'; k++ {
						v = v*8 + int(l.buf[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return String{}, l.errorf("unterminated string")
}

func (l *lexer) dict(depth int) (Dict, error) {
	l.pos += 2
	d := Dict{}
	for {
		l.skipSpace()
		if l.pos+1 < len(l.buf) && l.buf[l.pos] == '>' && l.buf[l.pos+1] == '>' {
			l.pos += 2
			return d, nil
		}
		if l.pos >= len(l.buf) {
			return nil, l.errorf("unterminated dictionary")
		}
		if l.buf[l.pos] != '/' {
			return nil, l.errorf("dictionary key is not a name")
		}
		k, err := l.name()
		if err != nil {
			return nil, err
		}
		v, err := l.object(depth + 1)
		if err != nil {
			return nil, err
		}
		// Duplicate keys are ambiguous between readers. Keep the first and
		// remember the ambiguity so signature dictionaries can be refused.
		if _, dup := d[k]; dup {
			d[dupKey] = true
			continue
		}
		d[k] = v
	}
}

// Accessors that tolerate a missing or mistyped value.

func (d Dict) name(k Name) Name {
	n, _ := d[k].(Name)
	return n
}

func (d Dict) int(k Name) (int64, bool) {
	n, ok := d[k].(int64)
	return n, ok
}

package pdfsig

import "errors"

var errBER = errors.New("asn1: malformed BER")

// berToDER re-encodes BER (indefinite lengths, constructed strings), which
// Adobe and BouncyCastle signers emit for SignedData, as DER so that
// encoding/asn1 can read it. Content that is already DER is copied unchanged,
// which matters because signed attributes are hashed as encoded.
func berToDER(in []byte) ([]byte, error) {
	out := make([]byte, 0, len(in))
	var rest []byte
	var err error
	out, rest, err = berElement(in, out, 0)
	if err != nil {
		return nil, err
	}
	return append(out, rest...), nil
}

// berElement converts one element from in, appending to out; it returns the
// unread input.
func berElement(in, out []byte, depth int) ([]byte, []byte, error) {
	if depth > 64 {
		return nil, nil, errBER
	}
	if len(in) < 2 {
		return nil, nil, errBER
	}
	// Identifier octets.
	i := 1
	if in[0]&0x1f == 0x1f {
		for i < len(in) && in[i]&0x80 != 0 {
			i++
		}
		i++
		if i > len(in) || i > 6 {
			return nil, nil, errBER
		}
	}
	ident := in[:i]
	constructed := in[0]&0x20 != 0
	if i >= len(in) {
		return nil, nil, errBER
	}
	l := in[i]
	i++
	if l == 0x80 {
		if !constructed {
			return nil, nil, errBER
		}
		// Indefinite length: children until the end-of-contents octets.
		var body []byte
		rest := in[i:]
		for {
			if len(rest) < 2 {
				return nil, nil, errBER
			}
			if rest[0] == 0 && rest[1] == 0 {
				rest = rest[2:]
				break
			}
			var err error
			body, rest, err = berElement(rest, body, depth+1)
			if err != nil {
				return nil, nil, err
			}
		}
		return appendTLV(out, ident, body), rest, nil
	}
	var n int
	if l&0x80 == 0 {
		n = int(l)
	} else {
		k := int(l & 0x7f)
		if k == 0 || k > 4 || i+k > len(in) {
			return nil, nil, errBER
		}
		for j := 0; j < k; j++ {
			n = n<<8 | int(in[i+j])
		}
		i += k
	}
	if n < 0 || i+n > len(in) {
		return nil, nil, errBER
	}
	content := in[i : i+n]
	rest := in[i+n:]
	if !constructed {
		return appendTLV(out, ident, content), rest, nil
	}
	var body []byte
	for len(content) > 0 {
		var err error
		body, content, err = berElement(content, body, depth+1)
		if err != nil {
			return nil, nil, err
		}
	}
	return appendTLV(out, ident, body), rest, nil
}

func appendTLV(out, ident, body []byte) []byte {
	out = append(out, ident...)
	n := len(body)
	switch {
	case n < 0x80:
		out = append(out, byte(n))
	case n < 1<<8:
		out = append(out, 0x81, byte(n))
	case n < 1<<16:
		out = append(out, 0x82, byte(n>>8), byte(n))
	case n < 1<<24:
		out = append(out, 0x83, byte(n>>16), byte(n>>8), byte(n))
	default:
		out = append(out, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(out, body...)
}

package service

import (
	"strings"

	"github.com/motcua/motcua"
)

// maxIdempotencyKey bounds the Idempotency-Key header.
const maxIdempotencyKey = 200

// idempotencyKey scopes a client's Idempotency-Key to the principal and
// the kind of request (scope: "" for online submissions and supplement
// answers, "counter:" for counter receptions), or says it is too long;
// a blank key stays "".
func idempotencyKey(p *motcua.Principal, scope, key string) (string, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return "", nil
	}
	if len(key) > maxIdempotencyKey {
		return "", motcua.Invalid("idempotency_key", "invalid_idempotency_key", "Khóa chống gửi trùng quá dài.")
	}
	return p.ActorID() + ":" + scope + key, nil
}

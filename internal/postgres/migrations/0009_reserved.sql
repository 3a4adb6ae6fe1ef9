-- Placeholder: migration number 0009 is reserved for another branch (the
-- runner requires versions without gaps). When that branch is merged,
-- delete this file; its own 0009_*.sql takes the number.
SELECT 1;

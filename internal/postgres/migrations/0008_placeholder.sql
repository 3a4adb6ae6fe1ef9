-- Placeholder: version 8 belongs to another branch, merged separately.
-- Migration versions must run 1, 2, 3… without gaps, so this branch
-- holds the number with a no-op until that migration replaces it.
-- DELETE THIS FILE WHEN MERGING the branch that adds the real 0008.
SELECT 1;

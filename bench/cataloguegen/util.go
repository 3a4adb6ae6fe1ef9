package main

import "slices"

func dedup(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

func slicesSort(s []string) { slices.Sort(s) }

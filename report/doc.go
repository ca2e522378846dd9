// Package report renders results for people and programs: terminal tables
// (tablewriter behind the small Table type, so its API churn stays in one
// file), stable JSON, and later Markdown, HTML and DOT. It computes nothing:
// every figure it prints was decided by package analyze or parse.
package report

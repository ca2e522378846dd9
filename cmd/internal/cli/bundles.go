package cli

import (
	"errors"
	"fmt"
	"path/filepath"

	"netxray/analyze/model"
	"netxray/collect"
)

// openBundles opens every BUNDLE argument, printing what Open noticed
// (refused members, duplicate nodes) unless --quiet. Close the returned
// bundles even on error.
func openBundles(o *IO, paths []string) ([]*collect.Bundle, error) {
	var bundles []*collect.Bundle
	for _, p := range paths {
		var opts []collect.Option
		if o.Progress() {
			opts = append(opts, collect.WithProgress(progressBar(o, filepath.Base(p))))
		}
		b, err := collect.Open(p, opts...)
		if o.Progress() {
			fmt.Fprint(o.ErrOut, "\r\033[K")
		}
		if err != nil {
			return bundles, err
		}
		bundles = append(bundles, b)
		if !o.Quiet {
			for _, pr := range b.Problems {
				fmt.Fprintf(o.ErrOut, "netxray: note: %s\n", pr)
			}
		}
	}
	return bundles, nil
}

// withModel opens the BUNDLE arguments, builds their model and runs fn on
// it; the bundles are closed afterwards whatever fn returns.
func withModel(o *IO, paths []string, fn func(m *model.Model) error) (err error) {
	bundles, err := openBundles(o, paths)
	defer func() {
		if cerr := closeBundles(bundles); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if err != nil {
		return err
	}
	return fn(model.Build(bundles...))
}

func closeBundles(bundles []*collect.Bundle) error {
	var errs []error
	for _, b := range bundles {
		errs = append(errs, b.Close())
	}
	return errors.Join(errs...)
}

// progressBar draws "reading NAME  42%" on the terminal's error stream.
func progressBar(o *IO, name string) func(done, total int64) {
	last := -1
	return func(done, total int64) {
		if total <= 0 {
			return
		}
		pct := int(done * 100 / total)
		if pct == last {
			return
		}
		last = pct
		fmt.Fprintf(o.ErrOut, "\rreading %s %3d%%", name, pct)
	}
}

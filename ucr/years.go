package ucr

import (
	"errors"
	"fmt"
)

// FirstYear and LastYear bound the Table 6 years whose layouts this
// package reads (see the package comment).
const FirstYear, LastYear = 2006, 2024

// CheckYear tells whether y can be the year of a Table 6 file this package
// reads, and if not, which years can.
func CheckYear(y int) error {
	switch {
	case y == 2021:
		return errors.New("the FBI published no Table 6 for 2021, the year agencies moved to NIBRS")
	case y < FirstYear || y > LastYear:
		return fmt.Errorf("%d is not a Table 6 year assay reads: %d to %d (2021 was not published)", y, FirstYear, LastYear)
	}
	return nil
}

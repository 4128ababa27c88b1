package failpoint

import "testing"

// In a build without the failpoints tag, Hit must never stop the process,
// whatever the environment says.
func TestHitIsInertWithoutTag(t *testing.T) {
	if Enabled {
		t.Skip("built with -tags failpoints")
	}
	t.Setenv(EnvVar, "test.point:1")
	for range 3 {
		Hit("test.point")
	}
}

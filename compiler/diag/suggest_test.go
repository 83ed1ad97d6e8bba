package diag

import "testing"

func TestDidYouMean(t *testing.T) {
	names := []string{"mrr", "arr", "logins_30d", "health_score"}
	for name, want := range map[string]string{
		"mrrr":        ` Did you mean "mrr"?`,
		"login_30d":   ` Did you mean "logins_30d"?`,
		"healthscore": ` Did you mean "health_score"?`,
		"zzz":         "",
		"churn_rate":  "",
	} {
		if got := DidYouMean(name, names); got != want {
			t.Errorf("DidYouMean(%q) = %q, want %q", name, got, want)
		}
	}
}

package infosub

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/org"
)

// CanManage reports whether the scope may manage a unit's information work:
// record publications, change the settings, quotas and lexicon. Those are
// the unit-wide writers (意识形态专干, unit leaders).
func CanManage(sc access.Scope, unitID int64) bool { return slices.Contains(sc.WriteUnits, unitID) }

// Validate checks a publication or adoption record as entered, on the day
// today ("2006-01-02", China time), and sets Kind from the level: an
// adoption by a higher level, or a publication on the unit's own channels.
func (p *Publication) Validate(today string) error {
	lv, ok := LevelByCode(p.Level)
	if !ok {
		return apperr.Field("发布渠道/采用级别", "无效")
	}
	if _, err := cntime.ParseDate(p.Date); err != nil {
		return apperr.Field("日期", "格式应为 2023-06-30")
	}
	if p.Date > today {
		return apperr.Field("日期", "不能晚于今天")
	}
	p.Outlet, p.URL = strings.TrimSpace(p.Outlet), strings.TrimSpace(p.URL)
	if p.URL != "" && !strings.HasPrefix(p.URL, "http://") && !strings.HasPrefix(p.URL, "https://") {
		return apperr.Field("链接", "应以 http:// 或 https:// 开头")
	}
	if utf8.RuneCountInString(p.Outlet) > 60 || len(p.URL) > 500 {
		return apperr.Field("刊发媒体/链接", "过长")
	}
	p.Kind = "publish"
	if lv.Adopt {
		p.Kind = "adopt"
	}
	return nil
}

// Publish records validated publication p of the locked draft d: only the
// unit's managers may, only an approved or published draft can be
// published, and only a published one adopted — except that an adoption of
// an approved draft publishes it too. p gets the unit and the unit's points
// for its level; the draft becomes published.
func Publish(d *Draft, f Facts, sc access.Scope, p *Publication) (Change, error) {
	if !CanManage(sc, d.UnitID) {
		return Change{}, apperr.Rule("只有意识形态专干或单位领导可以登记发布和采用")
	}
	lv, ok := LevelByCode(p.Level)
	if !ok {
		return Change{}, apperr.Field("发布渠道/采用级别", "无效")
	}
	act := ActPublish
	if lv.Adopt {
		act = ActAdopt
	}
	if !Allowed(d.Status, act) && !(act == ActAdopt && d.Status == StatusApproved) {
		return Change{}, apperr.Rule(fmt.Sprintf("信息%s，不能登记%s", d.Status.Label(), act.Label()))
	}
	p.DraftID, p.UnitID, p.Points = d.ID, d.UnitID, f.Config.Points[p.Level]
	ch := Change{Decision: decisionOf(*d, act, lv.Label+" "+p.Outlet)}
	if d.Status != StatusPublished {
		d.Status, ch.Save = StatusPublished, true
	}
	return ch, nil
}

// ValidateQuota checks a department's monthly quota as entered; a negative
// value means "none of its own" (the unit default applies).
func ValidateQuota(monthly int) error {
	if monthly > 100 {
		return apperr.Field("每月任务数", "不能超过 100")
	}
	return nil
}

// CheckQuotaOrg checks that node n (found is false when there is no such
// live node) is a department or branch of unit unitID, which a quota may
// be set for.
func CheckQuotaOrg(n org.Node, found bool, unitID int64) error {
	if !found || n.UnitID != unitID || n.Kind == org.Unit || n.Kind == org.District {
		return apperr.Field("科室", "不属于本单位")
	}
	return nil
}

// ValidateTerms checks terms entered or imported for a unit's lexicon; the
// error names the entry ("第 3 条").
func ValidateTerms(terms []Term) error {
	for i := range terms {
		if err := terms[i].Validate(); err != nil {
			return apperr.Within(fmt.Sprintf("第 %d 条", i+1), err)
		}
	}
	return nil
}

package assess

import "zhendi/internal/apperr"

// User errors the store returns when a record names people, departments or
// entries outside the unit (the store writes no sentences of its own).
var (
	ErrFenguanOrg      = apperr.Field("分管科室", "须是本单位的科室或党支部")
	ErrPersonNotInUnit = apperr.Field("责任人", "须是本单位人员")
	ErrOrgNotInUnit    = apperr.Field("科室", "须是本单位的科室或党支部")
	ErrActivityNotUnit = apperr.Field("台账编号", "不是本单位的台账")
	ErrDebriefPerson   = apperr.Field("述职人", "须是本单位人员")
	ErrDebriefDup      = apperr.Field("述职人", "该年度已有此人的述职记录")
	ErrTreeExists      = apperr.Field("年度", "该年度已有考核细则")
	ErrTreePublished   = apperr.Field("考核细则", "已发布的考核细则不能修改")
	ErrCasePerson      = apperr.Field("责任人", "须是本单位人员")
	ErrCadrePerson     = apperr.Field("班子成员", "须是本单位的班子成员")
)

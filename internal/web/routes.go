package web

import "net/http"

// route is one entry of the route table.
type route struct {
	pattern string
	public  bool // served without a session (login, static files, health)
	// tokenAPI: a machine API authenticated by a bearer token instead of a
	// session, hence without CSRF token (the push API).
	tokenAPI bool
	h        http.Handler
}

// Route is a route as the probe tests see it: its ServeMux pattern
// ("POST /ledger/{id}") and whether it is served without a session.
type Route struct {
	Pattern string
	Public  bool
	// TokenAPI: authenticated by a bearer token, exempt from CSRF.
	TokenAPI bool
}

// Routes lists every route of the server in table order, so tests can
// probe each one (a new route is covered without anyone listing it).
func (s *Server) Routes() []Route {
	table := s.routes()
	out := make([]Route, len(table))
	for i, r := range table {
		out[i] = Route{Pattern: r.pattern, Public: r.public, TokenAPI: r.tokenAPI}
	}
	return out
}

// routes is every page and action of zhendi in one table. The public ones
// come first; everything after them goes through s.authed, which checks the
// session, the idle timeout and (on POST) the CSRF token, and hands the
// handler the caller's scope.
func (s *Server) routes() []route {
	var table []route
	pub := func(pattern string, h http.HandlerFunc) {
		table = append(table, route{pattern: pattern, public: true, h: h})
	}
	pub("GET /static/{hash}/{name}", s.serveStatic)
	pub("GET /login", s.loginPage)
	pub("POST /login", s.login)
	pub("GET /sso/{id}/start", s.ssoStart)
	pub("GET /sso/{id}/callback", s.ssoCallback)
	// Operations (ops.go): no session, no CSRF (they change nothing);
	// /metrics has its own guard.
	pub("GET /healthz", s.healthz)
	pub("GET /readyz", s.readyz)
	pub("GET /metrics", s.metrics)
	// 舆情推送接口 (issue 17, oppipe): authenticated by its source's token, not a session.
	table = append(table, route{pattern: "POST /api/opinion/push", public: true, tokenAPI: true, h: http.HandlerFunc(s.opinionPush)})

	auth := func(pattern string, h func(http.ResponseWriter, *http.Request, *reqCtx)) {
		table = append(table, route{pattern: pattern, h: s.authed(h)})
	}

	// Account and home
	auth("POST /logout", s.logout)
	auth("GET /password", s.passwordPage)
	auth("POST /password", s.changePassword)
	auth("GET /{$}", s.home)

	// 台账 ledger
	auth("GET /ledger", s.ledgerList)
	auth("GET /ledger/new", s.ledgerNew)
	auth("POST /ledger", s.ledgerCreate)
	auth("GET /ledger/export.xlsx", s.ledgerExport)
	auth("GET /ledger/template.xlsx", s.ledgerTemplate)
	auth("GET /ledger/import", s.ledgerImportPage)
	auth("POST /ledger/import", s.ledgerImport)
	auth("POST /ledger/import/{id}/confirm", s.ledgerImportConfirm)
	auth("GET /ledger/{id}", s.ledgerShow)
	auth("GET /ledger/{id}/edit", s.ledgerEdit)
	auth("GET /ledger/{id}/print", s.ledgerPrint)
	auth("POST /ledger/{id}", s.ledgerUpdate)
	auth("POST /ledger/{id}/delete", s.ledgerDelete)
	auth("POST /ledger/{id}/restore", s.ledgerRestore)
	auth("POST /ledger/{id}/files", s.fileUpload)
	auth("GET /ledger/{id}/files/{fid}", s.fileDownload)
	auth("POST /ledger/{id}/files/{fid}/delete", s.fileDelete)

	// 学习计划 and 五个带头
	auth("GET /plan", s.planPage)
	auth("GET /plan/new", s.planNew)
	auth("POST /plan", s.planCreate)
	auth("GET /plan/{id}/edit", s.planEdit)
	auth("POST /plan/{id}", s.planUpdate)
	auth("POST /plan/{id}/delete", s.planDelete)
	auth("GET /leads", s.leadsPage)

	// System administration, security settings, audit log
	auth("GET /admin/org", s.orgPage)
	auth("POST /admin/org", s.orgCreate)
	auth("POST /admin/org/{id}", s.orgUpdate)
	auth("GET /admin/users", s.usersPage)
	auth("GET /admin/users/new", s.userNew)
	auth("POST /admin/users", s.userCreate)
	auth("GET /admin/users/{id}", s.userEdit)
	auth("POST /admin/users/{id}", s.userUpdate)
	auth("POST /admin/users/{id}/reset", s.userReset)
	auth("POST /admin/users/{id}/unlock", s.userUnlock)
	auth("GET /admin/security", s.securityPage)
	auth("POST /admin/security", s.securitySave)
	auth("POST /admin/users/{id}/sso", s.userSSO)
	auth("GET /admin/sso", s.ssoPage)
	auth("POST /admin/sso", s.ssoSave)
	auth("GET /admin/backup", s.backupPage)
	auth("POST /admin/backup", s.backupSave)
	auth("GET /audit", s.auditPage)
	auth("GET /audit/export.xlsx", s.auditExport)

	// 报告 reports
	auth("GET /reports", s.reportIndex)
	auth("GET /reports/new", s.reportNew)
	auth("GET /reports/district", s.reportDistrict)
	auth("GET /reports/settings", s.reportSettings)
	auth("POST /reports/settings", s.reportSettingsSave)
	auth("POST /reports/save", s.reportSave)
	auth("POST /reports/wording", s.reportWordingReset)
	auth("GET /reports/figure/{key}", s.reportFigure)
	auth("GET /reports/fresh/{format}", s.reportFreshExport)
	auth("GET /reports/{id}", s.reportShow)
	auth("GET /reports/{id}/{format}", s.reportExport)
	auth("POST /reports/{id}/approve", s.reportApprove)

	// 信息报送 information submission and 三审三校
	auth("GET /info", s.infoList)
	auth("GET /info/queue", s.infoQueue)
	auth("GET /info/new", s.infoNew)
	auth("POST /info", s.infoCreate)
	auth("GET /info/bulletin", s.infoBulletin)
	auth("GET /info/bulletin.docx", s.infoBulletinDOCX)
	auth("GET /info/bulletin.xlsx", s.infoBulletinXLSX)
	auth("GET /info/lexicon", s.infoLexicon)
	auth("POST /info/lexicon", s.infoLexiconAdd)
	auth("POST /info/lexicon/import", s.infoLexiconImport)
	auth("GET /info/lexicon/export.tsv", s.infoLexiconExport)
	auth("POST /info/lexicon/{tid}/delete", s.infoLexiconDelete)
	auth("GET /info/settings", s.infoSettings)
	auth("POST /info/settings", s.infoSettingsSave)
	auth("POST /info/settings/quota", s.infoQuotaSave)
	auth("GET /info/{id}", s.infoShow)
	auth("GET /info/{id}/edit", s.infoEdit)
	auth("POST /info/{id}", s.infoUpdate)
	auth("POST /info/{id}/submit", s.infoSubmit)
	auth("POST /info/{id}/withdraw", s.infoWithdraw)
	auth("POST /info/{id}/delete", s.infoDelete)
	auth("POST /info/{id}/review", s.infoReview)
	auth("POST /info/{id}/replace", s.infoReplace)
	auth("POST /info/{id}/replace-all", s.infoReplaceAll)
	auth("GET /info/{id}/diff", s.infoDiff)
	auth("POST /info/{id}/publications", s.infoPublish)
	auth("POST /info/{id}/publications/{pid}/delete", s.infoPublicationDelete)
	auth("POST /info/{id}/img", s.infoImageUpload)
	auth("GET /info/{id}/img/{iid}", s.infoImage)

	// 督导 supervision, reminders, rectification
	auth("GET /supervise", s.supDashboard)
	auth("GET /supervise/my", s.supMine)
	auth("POST /supervise/my/read", s.supMarkRead)
	auth("GET /supervise/district", s.supDistrict)
	auth("GET /supervise/district.xlsx", s.supDistrictXLSX)
	auth("GET /supervise/circular", s.supCircular)
	auth("GET /supervise/circular.docx", s.supCircularDOCX)
	auth("GET /supervise/rules", s.supRules)
	auth("POST /supervise/rules", s.supRuleSave)
	auth("POST /supervise/rules/retire", s.supRuleRetire)
	auth("GET /supervise/channels", s.supChannels)
	auth("POST /supervise/channels", s.supChannelsSave)
	auth("GET /supervise/late", s.supLate)
	auth("GET /supervise/rect", s.rectList)
	auth("GET /supervise/rect.xlsx", s.rectXLSX)
	auth("GET /supervise/rect/new", s.rectNew)
	auth("POST /supervise/rect", s.rectCreate)
	auth("POST /supervise/rect/settings", s.rectConfigSave)
	auth("GET /tasks", s.tasksPage)
	auth("GET /supervise/rect/{id}", s.rectShow)
	auth("POST /supervise/rect/{id}", s.rectUpdate)
	auth("POST /supervise/rect/{id}/step", s.rectStep)
	auth("POST /supervise/rect/{id}/files", s.rectUpload)
	auth("GET /supervise/rect/{id}/files/{fid}", s.rectFile)

	// 阵地 channels (issue 18): registry, 报备, rules, checks, inspections
	auth("GET /channels", s.channelsBoard)
	auth("GET /channels/district", s.channelsDistrict)
	auth("GET /channels/new", s.channelNew)
	auth("POST /channels", s.channelCreate)
	auth("POST /channels/check", s.channelsCheckUnit)
	auth("GET /channels/export.xlsx", s.channelsExport)
	auth("GET /channels/import", s.channelsImportPage)
	auth("POST /channels/import", s.channelsImport)
	auth("GET /channels/filings", s.channelsFilings)
	auth("POST /channels/events/{id}/filing", s.channelEventFile)
	auth("GET /findings/{id}", s.channelFinding)
	auth("GET /channels/rules", s.channelsRules)
	auth("POST /channels/rules", s.channelsRuleSave)
	auth("GET /channels/report.docx", s.channelsQuarterReport)
	auth("GET /channels/report.xlsx", s.channelsQuarterReport)
	auth("GET /inspections", s.channelsInspections)
	auth("POST /inspections", s.inspectionCreate)
	auth("GET /inspections/checklist", s.channelsChecklist)
	auth("POST /inspections/checklist", s.checklistAdd)
	auth("POST /inspections/checklist/retire", s.checklistRetire)
	auth("GET /inspections/{id}", s.inspectionShow)
	auth("POST /inspections/{id}/items/{iid}", s.inspectionResult)
	auth("POST /inspections/{id}/files", s.inspectionUpload)
	auth("GET /inspections/{id}/files/{fid}", s.inspectionFile)
	auth("POST /inspections/{id}/sign", s.inspectionSign)
	auth("GET /inspections/{id}/report/{format}", s.inspectionReport)
	auth("GET /channels/{id}", s.channelShow)
	auth("GET /channels/{id}/edit", s.channelEdit)
	auth("POST /channels/{id}", s.channelUpdate)
	auth("POST /channels/{id}/check", s.channelCheckNow)
	auth("POST /channels/{id}/manual", s.channelManualCheck)
	auth("POST /channels/{id}/preview", s.channelPreview)
	auth("POST /channels/{id}/messages/preview", s.channelMessagePreview)
	auth("POST /channels/{id}/messages", s.channelMessageRule)
	// 舆情 opinion pipeline pages (issue 17, oppipe): sources, items, schemes.
	auth("GET /opinion/sources", s.opinionSources)
	auth("POST /opinion/sources", s.opinionSourceCreate)
	auth("GET /opinion/sources/{id}", s.opinionSourceEdit)
	auth("POST /opinion/sources/{id}", s.opinionSourceUpdate)
	auth("POST /opinion/sources/{id}/delete", s.opinionSourceDelete)
	auth("GET /opinion/import", s.opImportPage)
	auth("POST /opinion/import", s.opImportPreview)
	auth("POST /opinion/import/{id}/confirm", s.opImportConfirm)
	auth("GET /opinion/lexicon", s.opLexicon)
	auth("POST /opinion/lexicon", s.opLexiconUpload)
	auth("POST /opinion/lexicon/delete", s.opLexiconDelete)
	auth("GET /opinion/items", s.opinionItems)
	auth("GET /opinion/items/{id}", s.opinionItem)
	auth("GET /opinion/schemes", s.opinionSchemes)
	auth("GET /opinion/schemes/new", s.opinionSchemeNew)
	auth("POST /opinion/schemes", s.opinionSchemeCreate)
	auth("GET /opinion/schemes/{id}", s.opinionSchemeEdit)
	auth("POST /opinion/schemes/{id}", s.opinionSchemeUpdate)
	auth("POST /opinion/schemes/{id}/delete", s.opinionSchemeDelete)
	// documents (issues 14, 23): the district's 公文设置 and the 通报 register
	auth("GET /supervise/docsettings", s.districtDocSettings)
	auth("POST /supervise/docsettings", s.districtDocSettingsSave)
	auth("POST /supervise/circular/issue", s.supCircularIssue)
	// 考核问责 assessment and accountability (issue 19)
	auth("GET /assess", s.assessHome)
	auth("POST /assess/a/{id}/item", s.assessItemSave)
	auth("POST /assess/a/{id}/step", s.assessStep)
	auth("GET /assess/ranking", s.assessRanking)
	auth("POST /assess/ranking/step", s.assessStepAll)
	auth("GET /assess/ranking.docx", s.assessDOCX)
	auth("GET /assess/ranking.xlsx", s.assessXLSX)
	auth("GET /assess/trees", s.assessTrees)
	auth("POST /assess/trees", s.assessTreeCreate)
	auth("GET /assess/trees/{id}", s.assessTreeShow)
	auth("POST /assess/trees/{id}", s.assessTreeSettings)
	auth("POST /assess/trees/{id}/indicators", s.assessIndicatorSave)
	auth("POST /assess/trees/{id}/indicators/{iid}/delete", s.assessIndicatorDelete)
	auth("POST /assess/trees/{id}/publish", s.assessTreePublish)
	auth("GET /assess/duties", s.assessDuties)
	auth("GET /assess/duties.xlsx", s.assessDutiesXLSX)
	auth("POST /assess/duties", s.assessDutySave)
	auth("POST /assess/duties/generate", s.assessDutiesGenerate)
	auth("POST /assess/duties/{id}/delete", s.assessDutyDelete)
	auth("GET /assess/fenguan", s.assessFenguan)
	auth("POST /assess/fenguan", s.assessFenguanSave)
	auth("GET /assess/inclusions", s.assessInclusions)
	auth("POST /assess/inclusions", s.assessInclusionSave)
	auth("GET /assess/debriefs", s.assessDebriefs)
	auth("POST /assess/debriefs", s.assessDebriefSave)
	auth("GET /assess/debriefs/{id}", s.assessDebriefShow)
	auth("GET /assess/cases", s.assessCases)
	auth("POST /assess/cases", s.assessCaseSave)
	auth("GET /assess/cases/{id}", s.assessCaseShow)
	auth("POST /assess/cases/{id}/files", s.assessCaseUpload)
	auth("GET /assess/cases/{id}/files/{fid}", s.assessCaseFile)
	auth("GET /assess/situations", s.assessSituations)
	auth("POST /assess/situations", s.assessSituationSave)
	auth("GET /assess/cadre", s.assessCadre)
	auth("POST /assess/cadre", s.assessCadreSave)

	// 舆情 dashboard, events, 处置, alerts and reports (opweb)
	auth("GET /opinion", s.opDashboard)
	auth("GET /opinion/district", s.opDistrict)
	auth("GET /opinion/events", s.opEvents)
	auth("GET /opinion/events/{id}", s.opEventShow)
	auth("POST /opinion/events/{id}/merge", s.opEventMerge)
	auth("POST /opinion/events/{id}/split", s.opEventSplit)
	auth("GET /opinion/events/{id}/report/{format}", s.opEventReport)
	auth("GET /opinion/reports", s.opReports)
	auth("GET /opinion/reports/{format}", s.opReportDownload)
	auth("GET /opinion/alerts", s.opAlerts)
	auth("POST /opinion/alerts", s.opAlertCreate)
	auth("POST /opinion/alerts/{id}/delete", s.opAlertDelete)
	auth("GET /opinion/incidents", s.incidentList)
	auth("GET /opinion/incidents/new", s.incidentNew)
	auth("POST /opinion/incidents", s.incidentCreate)
	auth("GET /opinion/incidents/{id}", s.incidentShow)
	auth("POST /opinion/incidents/{id}", s.incidentUpdate)
	auth("POST /opinion/incidents/{id}/steps/{step}", s.incidentStep)
	auth("POST /opinion/incidents/{id}/files", s.incidentUpload)
	auth("GET /opinion/incidents/{id}/files/{fid}", s.incidentFile)
	// 会议签到 recording at the source (issue 22): the organiser's pages and
	// the attendees' phone pages.
	auth("GET /meetings", s.meetingsPage)
	auth("GET /meetings/new", s.meetingNew)
	auth("GET /meetings/settings", s.meetingSettingsPage)
	auth("POST /meetings/settings", s.meetingSettingsSave)
	auth("POST /meetings", s.meetingCreate)
	auth("GET /meetings/{id}", s.meetingShow)
	auth("GET /meetings/{id}/screen", s.meetingScreen)
	auth("GET /meetings/{id}/code", s.meetingCode)
	auth("POST /meetings/{id}/mark", s.meetingMark)
	auth("POST /meetings/{id}/minutes", s.meetingMinutes)
	auth("POST /meetings/{id}/cancel", s.meetingCancel)
	auth("POST /meetings/{id}/record", s.meetingRecord)
	auth("POST /meetings/{id}/photos", s.meetingPhotoUpload)
	auth("GET /meetings/{id}/photos/{pid}", s.meetingPhoto)
	auth("GET /m", s.mobileHome)
	auth("GET /m/notices", s.mobileNotices)
	auth("POST /m/notices/read", s.mobileNoticesRead)
	auth("GET /m/signin", s.mobileSigninPage)
	auth("POST /m/signin", s.mobileSignin)
	auth("GET /m/meetings/{id}", s.mobileMeeting)
	auth("POST /m/meetings/{id}/confirm", s.mobileConfirm)
	return table
}

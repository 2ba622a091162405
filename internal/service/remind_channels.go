package service

import (
	"context"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/channel"
	"zhendi/internal/ledger"
	"zhendi/internal/notify"
)

// channelReminders are the 阵地 reminders of a round (issue 18 part 8):
// the person responsible for a channel WarnDays before it passes its
// update limit (once per deadline), and the inspector and responsible
// person of an inspection past its due day unsigned (once per inspection).
func (s *Service) channelReminders(ctx context.Context, sc access.Scope, units []int64, today string) ([]reminder, error) {
	boards, err := s.ChannelBoards(ctx, sc, units)
	if err != nil {
		return nil, err
	}
	var rems []reminder
	for _, id := range units {
		for _, r := range boards[id].Rows {
			f := r.Fresh
			if f.Light != channel.Amber || f.Stale || f.Deadline == "" || f.Left < 0 || f.Left > channel.WarnDays {
				continue
			}
			when := fmt.Sprintf("还有%d天", f.Left)
			if f.Left == 0 {
				when = "今天是最后一天"
			}
			rems = append(rems, reminder{key: fmt.Sprintf("channel/%d/due/%s", r.ID, f.Deadline), unitID: r.UnitID, users: []int64{r.ResponsibleID},
				msg: notify.Message{Title: "【阵地临期】" + clip(r.Name, 30) + "即将超过更新期限",
					Body: fmt.Sprintf("%s“%s”%s，更新期限%s（%s），须在%s前更新，%s。", r.Kind.Label(), r.Name, f.DaysText(), f.Rule.LimitText(), f.Rule.Source,
						ledger.FormatDate(f.Deadline), when),
					Link: s.cfg.BaseURL + fmt.Sprintf("/channels/%d", r.ID)}})
		}
	}
	ins, err := s.st.OverdueInspections(ctx, today)
	if err != nil {
		return nil, err
	}
	for _, in := range ins {
		users := []int64{in.InspectorID}
		if in.InspectorAt != 0 {
			users = []int64{in.RespID}
		}
		rems = append(rems, reminder{key: fmt.Sprintf("inspection/%d/overdue/%s", in.ID, in.Due), unitID: in.UnitID, users: users,
			msg: notify.Message{Title: "【检查逾期】" + channel.PeriodLabel(in.Period) + in.Kind.Label() + "尚未完成",
				Body: fmt.Sprintf("%s%s应于%s前完成并签字确认，目前尚未完成，请尽快登记检查结果并签字。", channel.PeriodLabel(in.Period), in.Kind.Label(), ledger.FormatDate(in.Due)),
				Link: s.cfg.BaseURL + fmt.Sprintf("/inspections/%d", in.ID)}})
	}
	return rems, nil
}

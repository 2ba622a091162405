package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestUserErrorSurvivesWrapping(t *testing.T) {
	err := fmt.Errorf("import row 3: %w", fmt.Errorf("save: %w", Field("报送科室", "不属于本单位")))
	msgs, ok := User(err)
	if !ok || len(msgs) != 1 || msgs[0] != "报送科室：不属于本单位" {
		t.Fatalf("User(wrapped) = %v, %v", msgs, ok)
	}
	list := Errors{Field("标题", "不能为空"), Field("日期", "格式应为 2023-06-30")}
	msgs, ok = User(fmt.Errorf("validate: %w", list))
	if !ok || len(msgs) != 2 {
		t.Fatalf("User(list) = %v, %v", msgs, ok)
	}
	if Message(Rule("只有撰写人可以提交")) != "只有撰写人可以提交" {
		t.Error("Rule message")
	}
	for _, err := range []error{errors.New("sql: database is closed"), fmt.Errorf("x: %w", ErrNotFound), errors.New("报送科室：不存在")} {
		if IsUser(err) {
			t.Errorf("%v taken for a user error", err)
		}
	}
	if (Errors{}).OrNil() != nil {
		t.Error("empty Errors is not nil")
	}
}

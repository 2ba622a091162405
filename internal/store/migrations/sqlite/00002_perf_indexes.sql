-- +goose Up
-- Indexes for a district of 100 units × 10 years (issue 3, zhendi bench).
-- Every ledger query carries "deleted_at IS NULL" (live entries), so it is an
-- equality column of the unit indexes: counts become index-only and the
-- planner picks them even before ANALYZE has gathered statistics. They
-- replace the two unit indexes without deleted_at.
CREATE INDEX activities_unit_live_date ON activities(unit_id, deleted_at, date);
CREATE INDEX activities_unit_type_live_date ON activities(unit_id, type, deleted_at, date);
DROP INDEX activities_unit_date;
DROP INDEX activities_unit_type_date;
-- Newest-first pages over many units walk this index and stop after one page.
CREATE INDEX activities_date_id ON activities(date, id);

-- +goose Down
-- Down migrations would drop user data; zhendi never runs them.
SELECT 1;

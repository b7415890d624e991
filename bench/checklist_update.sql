-- One item of a checklist of @SIZE@ items toggles between Pending and Completed.
\set k random(1, 100)
\set n random(1, @SIZE@)
UPDATE @ITEMS@ SET status = CASE WHEN status = 'Completed' THEN 'Pending' ELSE 'Completed' END,
	notes = 'toggle ' || :k || '-' || :n || '-' || random()
WHERE id = (SELECT @ID@ FROM bench.item_ids WHERE size = @SIZE@ AND k = :k AND n = :n);

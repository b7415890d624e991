SELECT bench.new_case();

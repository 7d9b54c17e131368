print("mmmbench-bench")

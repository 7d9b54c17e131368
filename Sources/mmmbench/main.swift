print("mmmbench")

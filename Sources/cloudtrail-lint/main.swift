print("cloudtrail-lint")

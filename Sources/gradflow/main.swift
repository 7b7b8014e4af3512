print("gradflow")

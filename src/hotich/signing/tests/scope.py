PUBLIC = {"signing:verify"}

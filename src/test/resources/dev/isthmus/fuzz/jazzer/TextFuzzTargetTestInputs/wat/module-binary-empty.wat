(module
binary) 
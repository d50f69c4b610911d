import RGSLibrary
print("rgs")

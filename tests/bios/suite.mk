# Firmware at the reset vector (-bios), against QEMU: the ROM built from
# roms/ through real, protected and long mode (rom.sh, with the JIT and the
# interpreter), and SeaBIOS's banner and a Linux boot through its fw_cfg
# linuxboot path (run.sh).
CHECK_DEPS   += $(KASOU_BIN) $(ROMS) linux-guests
CHECK_SUITES += "bash tests/bios/rom.sh $(ROMS_OUT)/modes.bin"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' bash tests/bios/rom.sh $(ROMS_OUT)/modes.bin"
CHECK_SUITES += "bash tests/bios/run.sh"

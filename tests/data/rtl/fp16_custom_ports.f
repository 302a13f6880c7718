// File list for fp16_custom_ports.sv (paths relative to the directory
// rf8 runs in, as Verilator's -f reads them; -F would make them relative
// to this file).
tests/data/rtl/fp16_core.v
tests/data/rtl/fp16_custom_ports.sv

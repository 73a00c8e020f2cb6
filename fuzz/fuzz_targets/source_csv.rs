#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| evidencepack_fuzz::source_csv(data));

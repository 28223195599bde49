//! Bytes → the actions-config loader, as YAML and as JSON. Errors are fine;
//! a panic, a hang or an alias expansion (memory) is a bug.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    for name in ["talkative-actions.yaml", "talkative-actions.json"] {
        if let Ok(file) = action_lint::actions::parse(Path::new(name), text.clone()) {
            let _ = file.names().count();
        }
    }
});

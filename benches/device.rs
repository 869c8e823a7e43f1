//! Benchmark (not a test) of the scanner device alone: scan -> durably recorded, and a register
//! copy of 1,000,000 cards. Run: `cargo bench -p kaiku --bench device`.

#[path = "../tests/support/frames.rs"]
mod frames;

#[path = "support/device.rs"]
mod device;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    device::run()
}

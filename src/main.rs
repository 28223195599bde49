fn main() {
    println!("action-lint");
}

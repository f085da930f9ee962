pub mod core;
pub mod store;

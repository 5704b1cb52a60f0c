//! Integration tests for `tutti-courses`: the shipped catalogue and the rules
//! every catalogue must pass. Modules mirror `src/`.

mod catalogue;
mod validation;

//! Integration tests of `tutti-recommend`: the server-to-app flow through a
//! real model file.

mod server_to_app;

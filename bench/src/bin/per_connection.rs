//! Runs N requests of one scenario over one keep-alive connection on the
//! loopback interface, server and client in one thread of one process,
//! for counting instructions per request with callgrind, connection
//! handling included (hyper's HTTP/1 parsing and writing, the header-read
//! timer, the connection task):
//!
//!     per_connection SERVER SCENARIO N
//!
//! SERVER is `fastrs` (the default configuration), `fastrs_nto` (its
//! header-read timeout off), `axum` (`axum::serve`), `hyper` (the
//! hand-written service of `hyper_server`), `poem` (poem's `Server`) or
//! `actix` (`HttpServer` with one worker: actix-web runs its own threads,
//! an acceptor and the worker, so its count includes their hand-offs, as
//! its deployments pay them). `instructions.sh` runs it
//! under `valgrind --tool=callgrind` for two values of N and divides the
//! difference, which cancels start-up costs. The client's own work is the
//! same for every server.

use tokio::net::{TcpListener, TcpStream};

#[path = "../fastrs_app.rs"]
#[allow(dead_code)]
mod fastrs_app;

#[path = "../scenarios.rs"]
mod scenarios;

#[path = "../wire.rs"]
mod wire;

#[path = "axum_server.rs"]
#[allow(dead_code)]
mod axum_app;

#[path = "hyper_server.rs"]
#[allow(dead_code)]
mod hyper_app;

#[path = "poem_server.rs"]
#[allow(dead_code)]
mod poem_app;

#[path = "actix_server.rs"]
#[allow(dead_code)]
mod actix_app;

fn main() {
    let mut args = std::env::args().skip(1);
    let server = args
        .next()
        .expect("server: fastrs, fastrs_nto, axum, hyper, poem or actix");
    let scenario = args.next().expect("scenario");
    let n: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .expect("number of requests");
    // A second thread that only waits: every server process is
    // multi-threaded (tokio's default runtime has worker threads, fastrs
    // has its clock's thread), and glibc's system calls cost more in a
    // multi-threaded process than in a single-threaded one (cancellation
    // bookkeeping). Without it, a server starting a thread of its own
    // would be charged for what every server pays in a real deployment.
    std::thread::spawn(|| loop {
        std::thread::park();
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind");
        let address = listener.local_addr().expect("address");
        match server.as_str() {
            "fastrs" | "fastrs_nto" => {
                let mut app = fastrs_app::app();
                if server == "fastrs_nto" {
                    app = app.header_read_timeout(None);
                }
                tokio::spawn(app.serve_with(listener, std::future::pending()));
            }
            "axum" => {
                tokio::spawn(async move { axum::serve(listener, axum_app::app()).await });
            }
            "hyper" => {
                tokio::spawn(async move {
                    loop {
                        let Ok((stream, _)) = listener.accept().await else {
                            return;
                        };
                        let _ = stream.set_nodelay(true);
                        tokio::spawn(async move {
                            let _ = hyper::server::conn::http1::Builder::new()
                                .serve_connection(
                                    hyper_util::rt::TokioIo::new(stream),
                                    hyper::service::service_fn(hyper_app::handle),
                                )
                                .await;
                        });
                    }
                });
            }
            "poem" => {
                let acceptor = poem::listener::TcpAcceptor::from_tokio(listener).expect("acceptor");
                tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(poem_app::app()));
            }
            "actix" => {
                let listener = listener.into_std().expect("listener");
                std::thread::spawn(move || {
                    actix_web::rt::System::new().block_on(async move {
                        actix_web::HttpServer::new(|| {
                            actix_web::App::new().configure(actix_app::routes)
                        })
                        .workers(1)
                        .listen(listener)
                        .expect("listen")
                        .run()
                        .await
                    })
                });
            }
            other => panic!("unknown server {other}"),
        }
        let request = wire::wire_request(&scenarios::request(&scenario));
        let mut stream = TcpStream::connect(address).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let mut buffer = Vec::with_capacity(4096);
        for _ in 0..n {
            let status = wire::exchange(&mut stream, &request, &mut buffer).await;
            assert_eq!(status, 200, "{server} {scenario}");
        }
    });
}

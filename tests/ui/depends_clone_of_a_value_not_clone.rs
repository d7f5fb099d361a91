use fastrs::prelude::*;
use std::sync::Mutex;

pub struct Log(Mutex<Vec<String>>);

#[dependency(scope = "app")]
async fn log() -> Log {
    Log(Mutex::new(Vec::new()))
}

#[endpoint(POST "/work")]
async fn work(log: Depends<Log>, tasks: BackgroundTasks) -> &'static str {
    let for_the_task = log.clone();
    tasks.add_task(move || async move { for_the_task.0.lock().unwrap().push("done".into()) });
    "accepted"
}

fn main() {}

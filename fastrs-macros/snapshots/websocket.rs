///
/// (An endpoint: register it with `App::route`.)
fn chat() -> ::fastrs::pipeline::RouteEndpoint {
    static __FASTRS_P0: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec {
        websocket_route: true,
        ..::fastrs::decl::ParamSpec::named("ws")
    };
    static __FASTRS_P1: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec {
        header_name: "client-id",
        header_lookup: ::fastrs::decl::StaticHeaderName::new("client-id"),
        websocket_route: true,
        ..::fastrs::decl::ParamSpec::named("client_id")
    };
    fn __fastrs_responses(
        __fastrs_components: &mut ::fastrs::model::Components,
    ) -> ::std::vec::Vec<::fastrs::openapi::ResponseDoc> {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaErrorResponses as _, ViaNoErrorResponses as _};
        let mut __fastrs_out = ::std::vec::Vec::new();
        ::std::iter::Extend::extend(
            &mut __fastrs_out,
            (&&::fastrs::openapi::Probe::<Result<(), WebSocketError>>::new())
                .error_responses_of(__fastrs_components),
        );
        __fastrs_out
    }
    fn __fastrs_answers(
        __fastrs_components: &mut ::fastrs::model::Components,
        __fastrs_status: u16,
    ) -> ::std::vec::Vec<::fastrs::openapi::ResponseDoc> {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaAnything as _, ViaResponseSchema as _};
        (&&::fastrs::openapi::Probe::<Result<(), WebSocketError>>::new())
            .answers_of(__fastrs_components, __fastrs_status)
    }
    fn __fastrs_returns_text() -> bool {
        false
    }
    fn __fastrs_response_schema(
        __fastrs_components: &mut ::fastrs::model::Components,
    ) -> ::core::option::Option<::fastrs::serde_json::Value> {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaAnything as _, ViaResponseSchema as _};
        (&&::fastrs::openapi::Probe::<Result<(), WebSocketError>>::new())
            .schema_of(__fastrs_components)
    }
    fn __fastrs_response_media() -> ::fastrs::decl::ResponseMedia {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaAnything as _, ViaResponseSchema as _};
        (&&::fastrs::openapi::Probe::<Result<(), WebSocketError>>::new()).media_of()
    }
    static __FASTRS_OPERATION: ::fastrs::decl::Operation = ::fastrs::decl::Operation {
        method: ::fastrs::http::Method::GET,
        path: "/ws/{client_id}",
        name: "chat",
        summary: ::core::option::Option::None,
        description: ::core::option::Option::None,
        tags: &[],
        status: 200u16,
        deprecated: false,
        operation_id: ::core::option::Option::None,
        include_in_schema: false,
        response_schema: __fastrs_response_schema,
        response_media: __fastrs_response_media,
        response_description: ::core::option::Option::None,
        responses: __fastrs_responses,
        answers: __fastrs_answers,
        returns_text: __fastrs_returns_text,
        openapi_extra: ::core::option::Option::None,
        callbacks: &[],
        documents_only: false,
        strict_content_type: ::core::option::Option::None,
    };
    ::fastrs::pipeline::endpoint_2(
        &__FASTRS_OPERATION,
        ::std::vec![],
        ::fastrs::pipeline::argument::<
            WebSocket,
            _,
            _,
        >(&__FASTRS_P0, ::core::option::Option::None),
        ::fastrs::pipeline::argument::<
            i64,
            _,
            _,
        >(&__FASTRS_P1, ::core::option::Option::None),
        |(__fastrs_a0, __fastrs_a1): (WebSocket, i64)| async move {
            ::fastrs::websocket::session(async move {
                __FastrsEndpoint_chat::call(__fastrs_a0, __fastrs_a1).await
            })
        },
    )
}
#[doc(hidden)]
#[allow(non_camel_case_types)]
struct __FastrsEndpoint_chat;
impl __FastrsEndpoint_chat {
    async fn call(mut ws: WebSocket, client_id: i64) -> Result<(), WebSocketError> {
        ws.send_text("hi").await
    }
}

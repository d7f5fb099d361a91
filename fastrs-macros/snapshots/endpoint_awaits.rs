///
/// (An endpoint: register it with `App::route`.)
fn read_user() -> ::fastrs::pipeline::RouteEndpoint {
    static __FASTRS_P0: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec {
        header_name: "user-id",
        header_lookup: ::fastrs::decl::StaticHeaderName::new("user-id"),
        ..::fastrs::decl::ParamSpec::named("user_id")
    };
    static __FASTRS_P1: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec::named(
        "db",
    );
    fn __fastrs_responses(
        __fastrs_components: &mut ::fastrs::model::Components,
    ) -> ::std::vec::Vec<::fastrs::openapi::ResponseDoc> {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaErrorResponses as _, ViaNoErrorResponses as _};
        let mut __fastrs_out = ::std::vec::Vec::new();
        ::std::iter::Extend::extend(
            &mut __fastrs_out,
            (&&::fastrs::openapi::Probe::<Json<User>>::new())
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
        (&&::fastrs::openapi::Probe::<Json<User>>::new())
            .answers_of(__fastrs_components, __fastrs_status)
    }
    fn __fastrs_returns_text() -> bool {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaNoTextAnswer as _, ViaTextAnswer as _};
        (&&::fastrs::openapi::Probe::<Json<User>>::new()).is_text()
    }
    fn __fastrs_response_schema(
        __fastrs_components: &mut ::fastrs::model::Components,
    ) -> ::core::option::Option<::fastrs::serde_json::Value> {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaAnything as _, ViaResponseSchema as _};
        (&&::fastrs::openapi::Probe::<Json<User>>::new()).schema_of(__fastrs_components)
    }
    fn __fastrs_response_media() -> ::fastrs::decl::ResponseMedia {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaAnything as _, ViaResponseSchema as _};
        (&&::fastrs::openapi::Probe::<Json<User>>::new()).media_of()
    }
    static __FASTRS_OPERATION: ::fastrs::decl::Operation = ::fastrs::decl::Operation {
        method: ::fastrs::http::Method::GET,
        path: "/users/{user_id}",
        name: "read_user",
        summary: ::core::option::Option::None,
        description: ::core::option::Option::None,
        tags: &[],
        status: 200u16,
        deprecated: false,
        operation_id: ::core::option::Option::None,
        include_in_schema: true,
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
            i64,
            _,
            _,
        >(&__FASTRS_P0, ::core::option::Option::None),
        ::fastrs::pipeline::argument::<
            Depends<Db>,
            _,
            _,
        >(&__FASTRS_P1, ::core::option::Option::None),
        |(__fastrs_a0, __fastrs_a1): (i64, Depends<Db>)| async move {
            <Json<
                User,
            > as ::fastrs::IntoResponse>::into_response_with_status(
                __FastrsEndpoint_read_user::call(__fastrs_a0, __fastrs_a1).await,
                ::fastrs::pipeline::status(200u16),
            )
        },
    )
}
#[doc(hidden)]
#[allow(non_camel_case_types)]
struct __FastrsEndpoint_read_user;
impl __FastrsEndpoint_read_user {
    async fn call(user_id: i64, db: Depends<Db>) -> Json<User> {
        Json(db.user(user_id).await)
    }
}

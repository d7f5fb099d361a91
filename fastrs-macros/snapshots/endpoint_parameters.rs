/// Read an item of a user.
///
/// (An endpoint: register it with `App::route`.)
fn read_user_item() -> ::fastrs::pipeline::RouteEndpoint {
    static __FASTRS_P0: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec {
        header_name: "user-id",
        header_lookup: ::fastrs::decl::StaticHeaderName::new("user-id"),
        ..::fastrs::decl::ParamSpec::named("user_id")
    };
    static __FASTRS_P1: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec {
        header_name: "item-id",
        header_lookup: ::fastrs::decl::StaticHeaderName::new("item-id"),
        ..::fastrs::decl::ParamSpec::named("item_id")
    };
    static __FASTRS_P2: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec::named(
        "q",
    );
    static __FASTRS_P3: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec::named(
        "short",
    );
    static __FASTRS_P4: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec {
        alias: "x-token",
        header_name: "x-token",
        header_lookup: ::fastrs::decl::StaticHeaderName::new("x-token"),
        constraints: ::fastrs::model::Constraints {
            min_length: ::core::option::Option::Some(3),
            ..::fastrs::model::Constraints::NONE
        },
        ..::fastrs::decl::ParamSpec::named("token")
    };
    static __FASTRS_P5: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec::named(
        "db",
    );
    const _: () = ::fastrs::model::has_length::<Header<Option<String>>>();
    fn __fastrs_responses(
        __fastrs_components: &mut ::fastrs::model::Components,
    ) -> ::std::vec::Vec<::fastrs::openapi::ResponseDoc> {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaErrorResponses as _, ViaNoErrorResponses as _};
        let mut __fastrs_out = ::std::vec::Vec::new();
        ::std::iter::Extend::extend(
            &mut __fastrs_out,
            (&&::fastrs::openapi::Probe::<Json<Value>>::new())
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
        (&&::fastrs::openapi::Probe::<Json<Value>>::new())
            .answers_of(__fastrs_components, __fastrs_status)
    }
    fn __fastrs_returns_text() -> bool {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaNoTextAnswer as _, ViaTextAnswer as _};
        (&&::fastrs::openapi::Probe::<Json<Value>>::new()).is_text()
    }
    fn __fastrs_response_schema(
        __fastrs_components: &mut ::fastrs::model::Components,
    ) -> ::core::option::Option<::fastrs::serde_json::Value> {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaAnything as _, ViaResponseSchema as _};
        (&&::fastrs::openapi::Probe::<Json<Value>>::new()).schema_of(__fastrs_components)
    }
    fn __fastrs_response_media() -> ::fastrs::decl::ResponseMedia {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaAnything as _, ViaResponseSchema as _};
        (&&::fastrs::openapi::Probe::<Json<Value>>::new()).media_of()
    }
    static __FASTRS_OPERATION: ::fastrs::decl::Operation = ::fastrs::decl::Operation {
        method: ::fastrs::http::Method::GET,
        path: "/users/{user_id}/items/{item_id}",
        name: "read_user_item",
        summary: ::core::option::Option::None,
        description: ::core::option::Option::Some("Read an item of a user."),
        tags: &["items"],
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
    ::fastrs::pipeline::endpoint_at_once_6(
        &__FASTRS_OPERATION,
        ::std::vec![],
        ::fastrs::pipeline::argument::<
            i64,
            _,
            _,
        >(&__FASTRS_P0, ::core::option::Option::None),
        ::fastrs::pipeline::argument::<
            String,
            _,
            _,
        >(&__FASTRS_P1, ::core::option::Option::None),
        ::fastrs::pipeline::argument::<
            Option<String>,
            _,
            _,
        >(&__FASTRS_P2, ::core::option::Option::None),
        ::fastrs::pipeline::argument::<
            bool,
            _,
            _,
        >(&__FASTRS_P3, ::core::option::Option::Some((|| false) as fn() -> _)),
        ::fastrs::pipeline::argument::<
            Header<Option<String>>,
            _,
            _,
        >(&__FASTRS_P4, ::core::option::Option::None),
        ::fastrs::pipeline::argument::<
            Depends<Db>,
            _,
            _,
        >(&__FASTRS_P5, ::core::option::Option::None),
        |
            (
                __fastrs_a0,
                __fastrs_a1,
                __fastrs_a2,
                __fastrs_a3,
                __fastrs_a4,
                __fastrs_a5,
            ): (i64, String, Option<String>, bool, Header<Option<String>>, Depends<Db>)|
        <Json<
            Value,
        > as ::fastrs::IntoResponse>::into_response_with_status(
            __FastrsEndpoint_read_user_item::call(
                __fastrs_a0,
                __fastrs_a1,
                __fastrs_a2,
                __fastrs_a3,
                __fastrs_a4,
                __fastrs_a5,
            ),
            ::fastrs::pipeline::status(200u16),
        ),
    )
}
#[doc(hidden)]
#[allow(non_camel_case_types)]
struct __FastrsEndpoint_read_user_item;
impl __FastrsEndpoint_read_user_item {
    fn call(
        user_id: i64,
        item_id: String,
        q: Option<String>,
        short: bool,
        token: Header<Option<String>>,
        db: Depends<Db>,
    ) -> Json<Value> {
        Json(json!({ "item_id" : item_id }))
    }
}

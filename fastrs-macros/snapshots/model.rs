const _: () = ::fastrs::model::has_length::<String>();
const _: () = ::fastrs::model::comparable::<f64>();
#[derive(::fastrs::serde::Deserialize)]
#[serde(crate = "::fastrs::serde")]
struct Item {
    #[serde(deserialize_with = "Item::__fastrs_de_0")]
    name: String,
    #[serde(deserialize_with = "Item::__fastrs_de_1")]
    price: f64,
    #[serde(deserialize_with = "Item::__fastrs_de_2")]
    #[serde(default)]
    description: Option<String>,
}
impl ::fastrs::serde::Serialize for Item {
    fn serialize<__S: ::fastrs::serde::Serializer>(
        &self,
        __fastrs_s: __S,
    ) -> ::core::result::Result<__S::Ok, __S::Error> {
        use ::fastrs::serde::ser::SerializeStruct as _;
        #[allow(unused_imports)]
        use ::fastrs::model::probe::{ViaUnsupported as _, ViaValidate as _};
        let __fastrs_options = ::fastrs::model::dump::options();
        let mut __fastrs_st = __fastrs_s.serialize_struct("Item", 3usize)?;
        if (&&::fastrs::model::probe::FieldProbe::<String>::new())
            .keep(&self.name, &__fastrs_options, ::core::option::Option::None)
        {
            __fastrs_st
                .serialize_field(
                    "name",
                    &(&&::fastrs::model::probe::FieldProbe::<String>::new())
                        .written(&self.name),
                )?;
        } else {
            __fastrs_st.skip_field("name")?;
        }
        if (&&::fastrs::model::probe::FieldProbe::<f64>::new())
            .keep(&self.price, &__fastrs_options, ::core::option::Option::None)
        {
            __fastrs_st
                .serialize_field(
                    "price",
                    &(&&::fastrs::model::probe::FieldProbe::<f64>::new())
                        .written(&self.price),
                )?;
        } else {
            __fastrs_st.skip_field("price")?;
        }
        if (&&::fastrs::model::probe::FieldProbe::<Option<String>>::new())
            .keep(&self.description, &__fastrs_options, ::core::option::Option::None)
        {
            __fastrs_st
                .serialize_field(
                    "description",
                    &(&&::fastrs::model::probe::FieldProbe::<Option<String>>::new())
                        .written(&self.description),
                )?;
        } else {
            __fastrs_st.skip_field("description")?;
        }
        if __fastrs_options.computed() {}
        __fastrs_st.end()
    }
}
impl Item {
    #[doc(hidden)]
    const __FASTRS_FIELD_0: ::fastrs::model::Constraints = ::fastrs::model::Constraints {
        min_length: ::core::option::Option::Some(1),
        max_length: ::core::option::Option::Some(50),
        ..::fastrs::model::Constraints::NONE
    };
    #[doc(hidden)]
    fn __fastrs_de_0<'de, D: ::fastrs::serde::Deserializer<'de>>(
        __fastrs_d: D,
    ) -> ::core::result::Result<String, D::Error> {
        #[allow(unused_imports)]
        use ::fastrs::model::probe::{ViaUnsupported as _, ViaValidate as _};
        (&&::fastrs::model::probe::FieldProbe::<String>::new())
            .field(
                __fastrs_d,
                &Self::__FASTRS_FIELD_0,
                ::fastrs::model::fast::unvalidated,
            )
    }
    #[doc(hidden)]
    const __FASTRS_FIELD_1: ::fastrs::model::Constraints = ::fastrs::model::Constraints {
        gt: ::core::option::Option::Some(::fastrs::model::Number::Int(0i64)),
        ..::fastrs::model::Constraints::NONE
    };
    #[doc(hidden)]
    fn __fastrs_de_1<'de, D: ::fastrs::serde::Deserializer<'de>>(
        __fastrs_d: D,
    ) -> ::core::result::Result<f64, D::Error> {
        #[allow(unused_imports)]
        use ::fastrs::model::probe::{ViaUnsupported as _, ViaValidate as _};
        (&&::fastrs::model::probe::FieldProbe::<f64>::new())
            .field(
                __fastrs_d,
                &Self::__FASTRS_FIELD_1,
                ::fastrs::model::fast::unvalidated,
            )
    }
    #[doc(hidden)]
    const __FASTRS_FIELD_2: ::fastrs::model::Constraints = ::fastrs::model::Constraints::NONE;
    #[doc(hidden)]
    fn __fastrs_de_2<'de, D: ::fastrs::serde::Deserializer<'de>>(
        __fastrs_d: D,
    ) -> ::core::result::Result<Option<String>, D::Error> {
        #[allow(unused_imports)]
        use ::fastrs::model::probe::{ViaUnsupported as _, ViaValidate as _};
        (&&::fastrs::model::probe::FieldProbe::<Option<String>>::new())
            .field(
                __fastrs_d,
                &Self::__FASTRS_FIELD_2,
                ::fastrs::model::fast::unvalidated,
            )
    }
}
impl ::fastrs::model::Model for Item {
    const NAME: &'static str = "Item";
    const FIELDS: &'static [::fastrs::model::FieldInfo] = &[
        ::fastrs::model::FieldInfo {
            name: "name",
            is_list: <String as ::fastrs::model::Validate>::IS_LIST,
            title: ::core::option::Option::None,
            description: ::core::option::Option::None,
            constraints: Self::__FASTRS_FIELD_0,
            examples: ::core::option::Option::None,
            schema: <String as ::fastrs::openapi::JsonSchema>::json_schema,
            required: false
                || (!false && !<String as ::fastrs::openapi::JsonSchema>::OPTIONAL),
            default: ::core::option::Option::None,
        },
        ::fastrs::model::FieldInfo {
            name: "price",
            is_list: <f64 as ::fastrs::model::Validate>::IS_LIST,
            title: ::core::option::Option::None,
            description: ::core::option::Option::None,
            constraints: Self::__FASTRS_FIELD_1,
            examples: ::core::option::Option::None,
            schema: <f64 as ::fastrs::openapi::JsonSchema>::json_schema,
            required: false
                || (!false && !<f64 as ::fastrs::openapi::JsonSchema>::OPTIONAL),
            default: ::core::option::Option::None,
        },
        ::fastrs::model::FieldInfo {
            name: "description",
            is_list: <Option<String> as ::fastrs::model::Validate>::IS_LIST,
            title: ::core::option::Option::None,
            description: ::core::option::Option::None,
            constraints: Self::__FASTRS_FIELD_2,
            examples: ::core::option::Option::None,
            schema: <Option<String> as ::fastrs::openapi::JsonSchema>::json_schema,
            required: false
                || (!false
                    && !<Option<String> as ::fastrs::openapi::JsonSchema>::OPTIONAL),
            default: ::core::option::Option::None,
        },
    ];
    const FORBID_EXTRA: bool = false;
    const COMPUTED: &'static [::fastrs::model::ComputedField] = &[];
}
impl ::fastrs::model::FastDeserialize for Item {
    fn deserialize_fast<'de, D: ::fastrs::serde::Deserializer<'de>>(
        __fastrs_d: D,
    ) -> ::core::result::Result<Self, D::Error> {
        <Self as ::fastrs::serde::Deserialize>::deserialize(__fastrs_d)
            .and_then(|__fastrs_m| ::fastrs::model::fast::after(
                __fastrs_m,
                ::fastrs::model::fast::unvalidated,
            ))
    }
}
impl ::fastrs::openapi::JsonSchema for Item {
    fn json_schema(
        __fastrs_components: &mut ::fastrs::openapi::Components,
    ) -> ::fastrs::serde_json::Value {
        ::fastrs::openapi::model_schema(
            "Item",
            <Self as ::fastrs::model::Model>::FIELDS,
            <Self as ::fastrs::model::Model>::COMPUTED,
            <Self as ::fastrs::model::Model>::FORBID_EXTRA,
            ::core::option::Option::None,
            __fastrs_components,
        )
    }
}
impl ::fastrs::model::Validate for Item {
    fn validate(
        __fastrs_value: &::fastrs::serde_json::Value,
        _: &::fastrs::model::Constraints,
        __fastrs_cx: &mut ::fastrs::model::ValidateCx<'_>,
    ) -> ::core::option::Option<Self> {
        let ::fastrs::serde_json::Value::Object(__fastrs_map) = __fastrs_value else {
            ::fastrs::model::validate::not_an_object(__fastrs_value, __fastrs_cx);
            return ::core::option::Option::None;
        };
        let __fastrs_f0: ::core::option::Option<String> = match __fastrs_map.get("name")
        {
            ::core::option::Option::Some(__fastrs_field) => {
                __fastrs_cx
                    .at(
                        "name",
                        |__fastrs_cx| {
                            <String as ::fastrs::model::Validate>::validate(
                                    __fastrs_field,
                                    &Self::__FASTRS_FIELD_0,
                                    __fastrs_cx,
                                )
                                .and_then(|__fastrs_v| ::fastrs::model::validate::after_validator(
                                    __fastrs_v,
                                    ::fastrs::model::fast::unvalidated,
                                    __fastrs_field,
                                    __fastrs_cx,
                                ))
                        },
                    )
            }
            ::core::option::Option::None => {
                match <String as ::fastrs::model::Validate>::missing() {
                    ::core::option::Option::Some(__fastrs_default) => {
                        ::core::option::Option::Some(__fastrs_default)
                    }
                    ::core::option::Option::None => {
                        ::fastrs::model::validate::missing_field(
                            "name",
                            __fastrs_value,
                            __fastrs_cx,
                        );
                        ::core::option::Option::None
                    }
                }
            }
        };
        let __fastrs_f1: ::core::option::Option<f64> = match __fastrs_map.get("price") {
            ::core::option::Option::Some(__fastrs_field) => {
                __fastrs_cx
                    .at(
                        "price",
                        |__fastrs_cx| {
                            <f64 as ::fastrs::model::Validate>::validate(
                                    __fastrs_field,
                                    &Self::__FASTRS_FIELD_1,
                                    __fastrs_cx,
                                )
                                .and_then(|__fastrs_v| ::fastrs::model::validate::after_validator(
                                    __fastrs_v,
                                    ::fastrs::model::fast::unvalidated,
                                    __fastrs_field,
                                    __fastrs_cx,
                                ))
                        },
                    )
            }
            ::core::option::Option::None => {
                match <f64 as ::fastrs::model::Validate>::missing() {
                    ::core::option::Option::Some(__fastrs_default) => {
                        ::core::option::Option::Some(__fastrs_default)
                    }
                    ::core::option::Option::None => {
                        ::fastrs::model::validate::missing_field(
                            "price",
                            __fastrs_value,
                            __fastrs_cx,
                        );
                        ::core::option::Option::None
                    }
                }
            }
        };
        let __fastrs_f2: ::core::option::Option<Option<String>> = match __fastrs_map
            .get("description")
        {
            ::core::option::Option::Some(__fastrs_field) => {
                __fastrs_cx
                    .at(
                        "description",
                        |__fastrs_cx| {
                            <Option<
                                String,
                            > as ::fastrs::model::Validate>::validate(
                                    __fastrs_field,
                                    &Self::__FASTRS_FIELD_2,
                                    __fastrs_cx,
                                )
                                .and_then(|__fastrs_v| ::fastrs::model::validate::after_validator(
                                    __fastrs_v,
                                    ::fastrs::model::fast::unvalidated,
                                    __fastrs_field,
                                    __fastrs_cx,
                                ))
                        },
                    )
            }
            ::core::option::Option::None => {
                match <Option<String> as ::fastrs::model::Validate>::missing() {
                    ::core::option::Option::Some(__fastrs_default) => {
                        ::core::option::Option::Some(__fastrs_default)
                    }
                    ::core::option::Option::None => {
                        ::fastrs::model::validate::missing_field(
                            "description",
                            __fastrs_value,
                            __fastrs_cx,
                        );
                        ::core::option::Option::None
                    }
                }
            }
        };
        if false
            && !::fastrs::model::validate::forbid_extra(
                __fastrs_map,
                &["name", "price", "description"],
                __fastrs_cx,
            )
        {
            return ::core::option::Option::None;
        }
        let __fastrs_model = Item {
            name: __fastrs_f0?,
            price: __fastrs_f1?,
            description: __fastrs_f2?,
        };
        ::fastrs::model::validate::after_validator(
            __fastrs_model,
            ::fastrs::model::fast::unvalidated,
            __fastrs_value,
            __fastrs_cx,
        )
    }
}
impl ::fastrs::IntoResponse for Item {
    fn into_response(self) -> ::fastrs::Response {
        ::fastrs::response::json_response(::fastrs::http::StatusCode::OK, &self)
    }
    fn into_response_with_status(
        self,
        __fastrs_status: ::fastrs::http::StatusCode,
    ) -> ::fastrs::Response {
        ::fastrs::response::json_response(__fastrs_status, &self)
    }
}

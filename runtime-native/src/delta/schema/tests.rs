use super::*;

#[test]
fn parses_primitive_decimal_and_nested_types() {
    let schema = parse_schema(
        r#"{"type":"struct","fields":[
            {"name":"a","type":"long","nullable":false,"metadata":{}},
            {"name":"d","type":"decimal(8, 5)","nullable":true,"metadata":{}},
            {"name":"s","type":{"type":"struct","fields":[{"name":"x","type":"string","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},
            {"name":"l","type":{"type":"array","elementType":{"type":"map","keyType":"string","valueType":"string","valueContainsNull":true},"containsNull":true},"nullable":true,"metadata":{}},
            {"name":"t","type":"timestamp_ntz","nullable":true}
        ]}"#,
    )
    .unwrap();
    let rendered: Vec<String> = schema
        .fields
        .iter()
        .map(|f| f.data_type.to_string())
        .collect();
    assert_eq!(
        rendered,
        [
            "long",
            "decimal(8,5)",
            "struct<x:string>",
            "array<map<string,string>>",
            "timestamp_ntz"
        ]
    );
    assert!(!schema.fields[0].nullable);
}

#[test]
fn unknown_types_and_bad_json_are_schema_errors() {
    let err = parse_schema(r#"{"type":"struct","fields":[{"name":"v","type":"variant","nullable":true,"metadata":{}}]}"#)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::DeltaSchemaInvalid);
    assert_eq!(err.detail("type"), Some("variant"));
    assert_eq!(err.detail("column"), Some("v"));
    assert_eq!(
        parse_schema("{").unwrap_err().code,
        ErrorCode::DeltaSchemaInvalid
    );
    assert_eq!(
        parse_schema(r#"{"type":"array"}"#).unwrap_err().code,
        ErrorCode::DeltaSchemaInvalid
    );
    assert!(parse_type_name("decimal(39,2)").is_err());
}

#[test]
fn column_mapping_needs_physical_names_and_ids() {
    let schema = parse_schema(
        r#"{"type":"struct","fields":[{"name":"Company Name","type":"string","nullable":true,
            "metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-1"}}]}"#,
    )
    .unwrap();
    let field = &schema.fields[0];
    assert_eq!(
        field.physical_name(ColumnMappingMode::Name).unwrap(),
        "col-1"
    );
    assert_eq!(
        field.physical_name(ColumnMappingMode::None).unwrap(),
        "Company Name"
    );
    assert_eq!(field.field_id(), Some(1));
    schema
        .validate_column_mapping(ColumnMappingMode::Id)
        .unwrap();

    let bare = parse_schema(
        r#"{"type":"struct","fields":[{"name":"s","type":{"type":"struct","fields":[{"name":"x","type":"long","nullable":true,"metadata":{}}]},"nullable":true,
            "metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-1"}}]}"#,
    )
    .unwrap();
    let err = bare
        .validate_column_mapping(ColumnMappingMode::Name)
        .unwrap_err();
    assert_eq!(err.detail("column"), Some("x"));
}

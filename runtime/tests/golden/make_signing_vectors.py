#!/usr/bin/env python3
"""Golden signing vectors for eftPay's `sign` field, computed outside Rust.

Why this file exists: the Rust signer and verifier must be checked against an
implementation that shares no code and no language with them, so a mistake in
the rule cannot hide by being made twice. This script implements the rule of
/work/shared/eftpay-api.md section 2 ("Signature") on its own, with the Python
3.11 standard library only, and writes `signing_vectors.json` next to itself.
Every vector holds a fake secret, the raw JSON message text, the canonical
string (without the secret in front) and the expected `sign`.

The rule, as implemented here:
  1. every top-level field except `sign` (exact name; `Sign`, `sign_type` are signed);
  2. fields that are JSON null or the empty string "" are left out;
  3. sorted by the UTF-8 bytes of the field name, case-sensitive ("Z" < "_" < "a");
  4. joined as `name=value` with `&`, no URL-encoding; a string value is its
     unescaped content, a number its literal text as written in the message,
     a boolean `true`/`false`, an object or array its compact JSON text
     (no spaces, keys in message order, non-ASCII raw, numbers literal);
  5. the secret goes directly in front, no separator;
  6. sign = lowercase hex SHA-256 of the UTF-8 bytes.

Regenerate (from the repository root):
    python3 runtime/tests/golden/make_signing_vectors.py
Check that the committed file is current (exits 1 if it is not):
    python3 runtime/tests/golden/make_signing_vectors.py --check
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "signing_vectors.json"


class Number(str):
    """A JSON number, kept as the literal text it had in the message."""


class Object(list):
    """A JSON object as (key, value) pairs in message order."""


def _object(pairs: list[tuple[str, object]]) -> Object:
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError(f"duplicate key in object: {keys}")
    return Object(pairs)


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def parse(message: str) -> Object:
    value = json.loads(
        message,
        object_pairs_hook=_object,
        parse_int=Number,
        parse_float=Number,
        parse_constant=_reject_constant,
    )
    if not isinstance(value, Object):
        raise ValueError("a message must be a JSON object")
    return value


def compact(value: object) -> str:
    """Compact JSON text of a nested value: no spaces, keys in order, literal numbers."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Number):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Object):
        members = (f"{compact(key)}:{compact(item)}" for key, item in value)
        return "{" + ",".join(members) + "}"
    if isinstance(value, list):
        return "[" + ",".join(compact(item) for item in value) + "]"
    raise TypeError(f"unexpected JSON value {value!r}")


def signed_text(value: object) -> str:
    """The text a top-level value contributes after `name=`."""
    if isinstance(value, (Object, list)):
        return compact(value)
    if isinstance(value, Number):
        return str(value)
    if isinstance(value, str):
        return value
    return compact(value)


def canonical(message: str) -> str:
    fields = [
        (name, value)
        for name, value in parse(message)
        if name != "sign" and value is not None and value != ""
    ]
    fields.sort(key=lambda field: field[0].encode("utf-8"))
    return "&".join(f"{name}={signed_text(value)}" for name, value in fields)


def sign(secret: str, canonical_text: str) -> str:
    return hashlib.sha256((secret + canonical_text).encode("utf-8")).hexdigest()


SECRET_1 = "test-secret-not-real-0001"
SECRET_2 = "test-secret-not-real-0002"
SECRET_3 = "test-secret-not-real-0003"
SECRET_NON_ASCII = "test-secret-not-real-密钥-ü-0004"
SECRET_SPACES = " test secret not real 0005 "

SEED_PLACE_ORDER = """{
"service": "service.wechat.web.PreOrder",
"user_confirm_key": "S0003469",
"payType": "WeChat",
"wallet": "WECHATCN",
"pay_scene": "WEB",
"transaction_amount": "0.53",
"out_trade_no": "rrn_1686280005998",
"subject": "test",
"body": "test",
"time": "20230609110645",
"sign": "9878e9445e4e138e5fed29f36eea229767d6263678ea4aa5e48d1b53aacbcff8",
"tid": "",
"buyerType": "others",
"fee_type": "HKD",
"notify_url": "https://www.merchant.com/notify/receive",
"return_url": "https://www.merchant.com/return/page"
}"""

SEED_PLACE_ORDER_RESPONSE = """{
"user_confirm_key": "S0003469",
"return_status": "00",
"return_char": "",
"wallet": "ALIPAYHK",
"pay_apptrade": "https://vmp.eftpay.com.cn/VMP/web/payPage?userkey=12345678&outTradeNo=20190824010716&sign=5c24f30f758d86e2ba1cc1a291aa6d392f563180584f071d2d725eff52947f05",
"subject": "test测试",
"transaction_amount": "0.04",
"eft_trade_no": "08520005269190824010701722",
"sign": "26c89dd6684dd6f60569a502c920793ca82bb39f86fe0250bdb2256db8100d11",
"fee_type": "HKD",
"tid": "tid_3378",
"buyerType": "andriod",
"out_trade_no": "rrn_1686280006002",
"time": "20230609110646",
"payType": "Alipay"
}"""

DOC_PAYMENT_NOTIFICATION = (
    '{"currency":"HKD","eft_trade_no":"20005269520084311t5rutcv1734",'
    '"eftpay_trade_no":"20005269520084311t5rutcv1734","gmt_payment":"2019-09-24 02:20:29",'
    '"notify_type":"trade_status_sync","out_trade_no":"rrn_1686280005975",'
    '"sign":"9fdff8df93645e4b24919543f46c6b1219f80e7f47341d0c04834ee303903449",'
    '"time":"20230609110645","total_fee":"1","trade_no":"2019082422001386450540290447",'
    '"trade_status":"TRADE_SUCCESS","user_confirm_key":"S0003469","wallet":"ALIPAYCN",'
    '"transaction_id":"2020012022001386451433772415","trade_type":"SALE"}'
)

ATOME_PLACE_ORDER = """{
  "service": "service.atome.v2.wap.PreOrder",
  "user_confirm_key": "S0003469",
  "payType": "ATOME",
  "wallet": "ATOME",
  "pay_scene": "WAP",
  "transaction_amount": "128.50",
  "out_trade_no": "rrn_1686280007001",
  "subject": "测试商品",
  "body": "Atome order",
  "time": "20230609110645",
  "fee_type": "HKD",
  "notify_url": "https://www.merchant.com/notify/receive",
  "return_url": "https://www.merchant.com/return/page",
  "customerInfo": {
    "mobileNumber": "+8613344445555",
    "fullName": "Atome Developer"
  },
  "shippingAddress": {
    "countryCode": "HK",
    "lines": ["China", "Hong Kong"],
    "postCode": "999077"
  },
  "billingAddress": {
    "countryCode": "HK",
    "lines": ["China", "Hong Kong", "Kowloon"],
    "postCode": "999077"
  },
  "items": [
    {"itemId": "sku-001", "name": "测试商品", "quantity": 1, "price": 100},
    {"itemId": "sku-002", "name": "Gift wrap", "quantity": 2, "price": 14.25}
  ]
}"""

# A jsapi place order (WeChat, official account): the `detail` object holds the
# `goods_detail` array of objects — nested two levels, signed as its compact JSON text.
JSAPI_PLACE_ORDER = """{
  "service": "service.wechat.jsapi.PreOrder",
  "user_confirm_key": "S0003469",
  "paytype": "WeChat",
  "payment_type": "WECHATHK",
  "scene_type": "PUBLIC",
  "openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
  "transaction_amount": "25.00",
  "out_trade_no": "rrn_1686280009001",
  "subject": "测试商品",
  "fee_type": "HKD",
  "notify_url": "https://www.merchant.com/notify/receive",
  "receipt": "Y",
  "goods_tag": "",
  "detail": {
    "cost_price": 2500,
    "receipt_id": "wx123",
    "goods_detail": [
      {"goods_id": "g-1", "wxpay_goods_id": "1001", "goods_name": "测试商品", "quantity": 1, "price": 2000},
      {"goods_id": "g-2", "goods_name": "Tea", "quantity": 2, "price": 250}
    ]
  },
  "time": "20230609110645"
}"""

LONG_VALUE = "".join(f"{i:04d}-" for i in range(1000))

# Each vector: name, secret, message text, and optionally the canonical string
# worked out by hand, which the script asserts so the rule is checked twice.
VECTORS: list[dict[str, str]] = [
    {
        "name": "seed_place_order_wechat_web",
        "secret": SECRET_1,
        "message": SEED_PLACE_ORDER,
        "expect": (
            "body=test&buyerType=others&fee_type=HKD"
            "&notify_url=https://www.merchant.com/notify/receive"
            "&out_trade_no=rrn_1686280005998&payType=WeChat&pay_scene=WEB"
            "&return_url=https://www.merchant.com/return/page"
            "&service=service.wechat.web.PreOrder&subject=test&time=20230609110645"
            "&transaction_amount=0.53&user_confirm_key=S0003469&wallet=WECHATCN"
        ),
    },
    {
        "name": "seed_place_order_response_with_url_in_value",
        "secret": SECRET_1,
        "message": SEED_PLACE_ORDER_RESPONSE,
    },
    {
        "name": "empty_string_values_are_left_out",
        "secret": SECRET_1,
        "message": (
            '{"out_trade_no":"rrn_1686280005998","tid":"","body":"",'
            '"user_confirm_key":"S0003469","lang":"","time":"20230609110645"}'
        ),
        "expect": "out_trade_no=rrn_1686280005998&time=20230609110645&user_confirm_key=S0003469",
    },
    {
        "name": "null_values_are_left_out",
        "secret": SECRET_1,
        "message": (
            '{"out_trade_no":"rrn_1686280005998","tid":null,"body":null,'
            '"user_confirm_key":"S0003469","refund_no":null,"time":"20230609110645"}'
        ),
        "expect": "out_trade_no=rrn_1686280005998&time=20230609110645&user_confirm_key=S0003469",
    },
    {
        "name": "only_one_non_empty_field",
        "secret": SECRET_2,
        "message": '{"a":"","b":null,"time":"20230609110645","z":"","sign":"ignored"}',
        "expect": "time=20230609110645",
    },
    {
        "name": "no_non_empty_field_signs_the_secret_alone",
        "secret": SECRET_2,
        "message": '{"a":"","b":null,"sign":"ignored"}',
        "expect": "",
    },
    {
        "name": "whitespace_only_and_padded_values_are_kept_untrimmed",
        "secret": SECRET_1,
        "message": '{"blank":" ","padded":"  two spaces each side  ","tab":"\\t"}',
        "expect": "blank= &padded=  two spaces each side  &tab=\t",
    },
    {
        "name": "chinese_text_in_values",
        "secret": SECRET_1,
        "message": (
            '{"subject":"测试商品","body":"中文描述，含全角标点。",'
            '"out_trade_no":"rrn_1686280005998","time":"20230609110645"}'
        ),
        "expect": (
            "body=中文描述，含全角标点。&out_trade_no=rrn_1686280005998"
            "&subject=测试商品&time=20230609110645"
        ),
    },
    {
        "name": "chinese_text_given_as_json_escapes_signs_unescaped",
        "secret": SECRET_1,
        "message": (
            '{"subject":"\\u6d4b\\u8bd5\\u5546\\u54c1",'
            '"body":"\\u4e2d\\u6587\\u63cf\\u8ff0\\uff0c\\u542b\\u5168\\u89d2\\u6807\\u70b9\\u3002",'
            '"out_trade_no":"rrn_1686280005998","time":"20230609110645"}'
        ),
        "expect": (
            "body=中文描述，含全角标点。&out_trade_no=rrn_1686280005998"
            "&subject=测试商品&time=20230609110645"
        ),
    },
    {
        "name": "ampersand_and_equals_inside_values",
        "secret": SECRET_1,
        "message": (
            '{"subject":"a=b&c=d","return_url":"https://www.merchant.com/return?x=1&y=2",'
            '"body":"&=&","time":"20230609110645"}'
        ),
        "expect": (
            "body=&=&&return_url=https://www.merchant.com/return?x=1&y=2"
            "&subject=a=b&c=d&time=20230609110645"
        ),
    },
    {
        "name": "json_escapes_in_strings_sign_their_unescaped_content",
        "secret": SECRET_1,
        "message": (
            '{"path":"a\\/b","amp":"x\\u0026y","backslash":"C:\\\\dir","quote":"say \\"hi\\""}'
        ),
        "expect": 'amp=x&y&backslash=C:\\dir&path=a/b&quote=say "hi"',
    },
    {
        "name": "key_order_is_byte_order_case_sensitive",
        "secret": SECRET_1,
        "message": (
            '{"payment_type":"7","a":"4","pay_scene":"6","_x":"3","Z":"2",'
            '"payType":"5","B":"1"}'
        ),
        "expect": "B=1&Z=2&_x=3&a=4&payType=5&pay_scene=6&payment_type=7",
    },
    {
        "name": "key_order_digits_punctuation_and_prefixes",
        "secret": SECRET_1,
        "message": '{"aa":"8","a_":"7","a1":"6","a":"5","A":"4","1":"3",".":"2","-":"1"}',
        "expect": "-=1&.=2&1=3&A=4&a=5&a1=6&a_=7&aa=8",
    },
    {
        "name": "unicode_keys_sort_by_utf8_bytes_not_utf16",
        "secret": SECRET_1,
        "message": '{"😀":"5","ｚ":"4","商品":"3","é":"2","z":"1"}',
        "expect": "z=1&é=2&商品=3&ｚ=4&😀=5",
    },
    {
        "name": "only_the_field_named_sign_is_excluded",
        "secret": SECRET_1,
        "message": (
            '{"sign":"excluded","Sign":"kept","sign_type":"SHA256","signature":"kept too",'
            '"time":"20230609110645"}'
        ),
        "expect": "Sign=kept&sign_type=SHA256&signature=kept too&time=20230609110645",
    },
    {
        "name": "numbers_as_json_numbers_integer_and_decimal",
        "secret": SECRET_1,
        "message": (
            '{"total_fee":100,"return_amount":0.50,"out_trade_no":"rrn_1686280005998",'
            '"time":"20230609110645"}'
        ),
        "expect": "out_trade_no=rrn_1686280005998&return_amount=0.50&time=20230609110645&total_fee=100",
    },
    {
        "name": "number_literals_are_signed_exactly_as_written",
        "secret": SECRET_1,
        "message": (
            '{"a_exp":1e2,"b_exp_upper":1E+2,"c_neg_zero":-0,"d_zero":0,"e_trailing":10.0,'
            '"f_big":123456789012345678901234567890,"g_neg":-3.14,"h_small":0.1000,'
            '"i_exp_neg":2.5e-3}'
        ),
        "expect": (
            "a_exp=1e2&b_exp_upper=1E+2&c_neg_zero=-0&d_zero=0&e_trailing=10.0"
            "&f_big=123456789012345678901234567890&g_neg=-3.14&h_small=0.1000&i_exp_neg=2.5e-3"
        ),
    },
    {
        "name": "booleans_signed_as_true_and_false",
        "secret": SECRET_1,
        "message": '{"paid":true,"refundable":false,"time":"20230609110645"}',
        "expect": "paid=true&refundable=false&time=20230609110645",
    },
    {
        "name": "nested_object_signed_as_compact_json_in_message_key_order",
        "secret": SECRET_1,
        "message": (
            '{\n  "customerInfo": {\n    "mobileNumber": "+8613344445555",\n'
            '    "fullName": "Atome Developer"\n  },\n  "time": "20230609110645"\n}'
        ),
        "expect": (
            'customerInfo={"mobileNumber":"+8613344445555","fullName":"Atome Developer"}'
            "&time=20230609110645"
        ),
    },
    {
        "name": "items_array_with_literal_numbers_and_escaped_strings",
        "secret": SECRET_1,
        "message": (
            '{"items": [ {"name": "测试商品", "price": 100, "quantity": 1},'
            ' {"name": "12\\" pizza\\nlarge", "price": 0.50, "note": null, "gift": false} ],'
            ' "time": "20230609110645"}'
        ),
        "expect": (
            'items=[{"name":"测试商品","price":100,"quantity":1},'
            '{"name":"12\\" pizza\\nlarge","price":0.50,"note":null,"gift":false}]'
            "&time=20230609110645"
        ),
    },
    {
        "name": "empty_nested_values_and_nested_nulls_are_kept",
        "secret": SECRET_1,
        "message": (
            '{"customerInfo":{},"items":[],'
            '"shippingAddress":{"countryCode":"HK","lines":[],"postCode":null,"unit":""}}'
        ),
        "expect": (
            'customerInfo={}&items=[]'
            '&shippingAddress={"countryCode":"HK","lines":[],"postCode":null,"unit":""}'
        ),
    },
    {
        "name": "atome_place_order_with_all_nested_objects",
        "secret": SECRET_3,
        "message": ATOME_PLACE_ORDER,
    },
    {
        "name": "jsapi_place_order_with_detail_holding_goods_detail",
        "secret": SECRET_3,
        "message": JSAPI_PLACE_ORDER,
        "expect": (
            'detail={"cost_price":2500,"receipt_id":"wx123","goods_detail":['
            '{"goods_id":"g-1","wxpay_goods_id":"1001","goods_name":"测试商品","quantity":1,"price":2000},'
            '{"goods_id":"g-2","goods_name":"Tea","quantity":2,"price":250}]}'
            "&fee_type=HKD&notify_url=https://www.merchant.com/notify/receive"
            "&openid=oUpF8uMuAJO_M2pxb1Q9zNjWeS6o&out_trade_no=rrn_1686280009001"
            "&payment_type=WECHATHK&paytype=WeChat&receipt=Y&scene_type=PUBLIC"
            "&service=service.wechat.jsapi.PreOrder&subject=测试商品&time=20230609110645"
            "&transaction_amount=25.00&user_confirm_key=S0003469"
        ),
    },
    {
        "name": "value_with_spaces",
        "secret": SECRET_1,
        "message": '{"subject":"Blue cotton T shirt size M","time":"20230609110645"}',
        "expect": "subject=Blue cotton T shirt size M&time=20230609110645",
    },
    {
        "name": "value_with_newline_quote_tab_and_backslash",
        "secret": SECRET_1,
        "message": '{"body":"line one\\nline \\"two\\"\\tend\\\\","time":"20230609110645"}',
        "expect": 'body=line one\nline "two"\tend\\&time=20230609110645',
    },
    {
        "name": "very_long_value",
        "secret": SECRET_1,
        "message": f'{{"body":"{LONG_VALUE}","time":"20230609110645"}}',
        "expect": f"body={LONG_VALUE}&time=20230609110645",
    },
    {
        "name": "refund_request_wechat_web",
        "secret": SECRET_1,
        "message": (
            '{"service":"service.wechat.web.Refund","user_confirm_key":"S0003469",'
            '"return_amount":"0.20","total_fee":"0.53","out_trade_no":"rrn_1686280005998",'
            '"payType":"WeChat","buyerType":"others","reason":"客户要求退款",'
            '"wallet":"WECHATCN","out_refund_no":"rf_1686280009001",'
            '"eft_trade_no":"08520005269190824010701722","pay_scene":"WEB",'
            '"time":"20230609120000"}'
        ),
        "expect": (
            "buyerType=others&eft_trade_no=08520005269190824010701722"
            "&out_refund_no=rf_1686280009001&out_trade_no=rrn_1686280005998&payType=WeChat"
            "&pay_scene=WEB&reason=客户要求退款&return_amount=0.20"
            "&service=service.wechat.web.Refund&time=20230609120000&total_fee=0.53"
            "&user_confirm_key=S0003469&wallet=WECHATCN"
        ),
    },
    {
        "name": "apply_refund_request_with_notify_url",
        "secret": SECRET_1,
        "message": (
            '{"service":"service.wechat.web.ApplyRefund","user_confirm_key":"S0003469",'
            '"return_amount":"0.53","total_fee":"0.53","out_trade_no":"rrn_1686280005998",'
            '"payType":"WeChat","buyerType":"others","reason":"","wallet":"WECHATCN",'
            '"out_refund_no":"rf_1686280009002","eft_trade_no":"","pay_scene":"WEB",'
            '"notify_url":"https://www.merchant.com/notify/refund","time":"20230609120100"}'
        ),
    },
    {
        "name": "query_request_by_out_trade_no",
        "secret": SECRET_1,
        "message": (
            '{"querytype":"OUT_TRADE","out_trade_no":"rrn_1686280005998",'
            '"user_confirm_key":"S0003469","time":"20230609110700"}'
        ),
        "expect": (
            "out_trade_no=rrn_1686280005998&querytype=OUT_TRADE&time=20230609110700"
            "&user_confirm_key=S0003469"
        ),
    },
    {
        "name": "query_request_for_a_refund",
        "secret": SECRET_1,
        "message": (
            '{"querytype":"OUT_TRADE","eft_trade_no":"08520005269190824010701722",'
            '"out_trade_no":"rrn_1686280005998","refund_no":"rf_1686280009001",'
            '"user_confirm_key":"S0003469","time":"20230609120500"}'
        ),
    },
    {
        "name": "payment_notification_doc_example",
        "secret": SECRET_1,
        "message": DOC_PAYMENT_NOTIFICATION,
        "expect": (
            "currency=HKD&eft_trade_no=20005269520084311t5rutcv1734"
            "&eftpay_trade_no=20005269520084311t5rutcv1734&gmt_payment=2019-09-24 02:20:29"
            "&notify_type=trade_status_sync&out_trade_no=rrn_1686280005975"
            "&time=20230609110645&total_fee=1&trade_no=2019082422001386450540290447"
            "&trade_status=TRADE_SUCCESS&trade_type=SALE"
            "&transaction_id=2020012022001386451433772415&user_confirm_key=S0003469"
            "&wallet=ALIPAYCN"
        ),
    },
    {
        "name": "refund_notification",
        "secret": SECRET_1,
        "message": (
            '{"notify_type":"trade_status_sync","user_confirm_key":"S0003469",'
            '"out_trade_no":"rrn_1686280005998","eft_trade_no":"08520005269190824010701722",'
            '"eftpay_trade_no":"08520005269190824010701722","total_fee":"0.53",'
            '"return_amount":"0.53","refund_no":"rf_1686280009002","currency":"HKD",'
            '"trade_status":"TRADE_CLOSED","trade_type":"REFUND","rejectReason":"",'
            '"wallet":"WECHATCN","time":"20230609121000",'
            '"sign":"0000000000000000000000000000000000000000000000000000000000000000"}'
        ),
    },
    {
        "name": "refund_reply_with_nulls_empties_and_unknown_fields",
        "secret": SECRET_1,
        "message": (
            '{"return_status":"00","return_char":"","out_trade_no":"rrn_1686280005998",'
            '"out_refund_no":"rf_1686280009001","eft_trade_no":"08520005269190824010701722",'
            '"trade_status":"TRADE_REFUND","refund_time":"20230609120001",'
            '"user_confirm_key":"S0003469","payType":"WeChat","buyerType":null,'
            '"wallet":"WECHATCN","fee_type":"HKD","return_amount":"100","total_fee":"200",'
            '"refund_trade_no":null,"future_field":"kept","time":"20230609120001"}'
        ),
    },
    {
        "name": "acknowledgement_success",
        "secret": SECRET_1,
        "message": '{"return_code":"success","time":"20230609110700"}',
        "expect": "return_code=success&time=20230609110700",
    },
    {
        "name": "acknowledgement_success_other_secret",
        "secret": SECRET_2,
        "message": '{"return_code":"success","time":"20230609110700"}',
        "expect": "return_code=success&time=20230609110700",
    },
    {
        "name": "acknowledgement_false",
        "secret": SECRET_1,
        "message": '{"return_code":"false","time":"20230609110701"}',
        "expect": "return_code=false&time=20230609110701",
    },
    {
        "name": "secret_with_non_ascii_characters",
        "secret": SECRET_NON_ASCII,
        "message": SEED_PLACE_ORDER,
    },
    # One place-order request per scene, as the SDK's typed API builds it (the Rust test
    # `each_scene_signs_a_typed_request_as_the_independent_signer_does` compares field by field):
    # each scene's own wire names (qrcode's lowercase `paytype` and `payment_type`, app's missing
    # `service`, cashier's missing payType and wallet).
    {
        "name": "scene_web_place_order",
        "secret": SECRET_1,
        "message": (
            '{"notify_url":"https://merchant.example/eftpay/notify","out_trade_no":"rrn_web_1",'
            '"payType":"Alipay","pay_scene":"WEB","return_url":"https://merchant.example/paid",'
            '"service":"service.alipay.web.PreOrder","subject":"Web sale","time":"20261201120000",'
            '"transaction_amount":"0.53","user_confirm_key":"S0003469","wallet":"ALIPAYHK"}'
        ),
        "expect": (
            "notify_url=https://merchant.example/eftpay/notify&out_trade_no=rrn_web_1"
            "&payType=Alipay&pay_scene=WEB&return_url=https://merchant.example/paid"
            "&service=service.alipay.web.PreOrder&subject=Web sale&time=20261201120000"
            "&transaction_amount=0.53&user_confirm_key=S0003469&wallet=ALIPAYHK"
        ),
    },
    {
        "name": "scene_qrcode_place_order",
        "secret": SECRET_1,
        "message": (
            '{"notify_url":"https://merchant.example/eftpay/notify","out_trade_no":"rrn_qr_1",'
            '"payment_type":"ALIPAYBOTH","paytype":"Alipay","service":"service.alipay.qrcode.PreOrder",'
            '"subject":"Counter sale","time":"20261201120000","transaction_amount":"2.00",'
            '"user_confirm_key":"S0003469"}'
        ),
        "expect": (
            "notify_url=https://merchant.example/eftpay/notify&out_trade_no=rrn_qr_1"
            "&payment_type=ALIPAYBOTH&paytype=Alipay&service=service.alipay.qrcode.PreOrder"
            "&subject=Counter sale&time=20261201120000&transaction_amount=2.00"
            "&user_confirm_key=S0003469"
        ),
    },
    {
        "name": "scene_app_place_order",
        "secret": SECRET_1,
        "message": (
            '{"body":"Coffee beans","buyerType":"ios","out_trade_no":"rrn_app_1","payType":"WeChat",'
            '"pay_scene":"APP","subject":"In-app sale","time":"20261201120000",'
            '"transaction_amount":"3.00","user_confirm_key":"S0003469","wallet":"WECHATHK"}'
        ),
        "expect": (
            "body=Coffee beans&buyerType=ios&out_trade_no=rrn_app_1&payType=WeChat&pay_scene=APP"
            "&subject=In-app sale&time=20261201120000&transaction_amount=3.00"
            "&user_confirm_key=S0003469&wallet=WECHATHK"
        ),
    },
    {
        "name": "scene_cashier_place_order",
        "secret": SECRET_1,
        "message": (
            '{"out_trade_no":"rrn_cashier_1","pay_scene":"WAP","return_url":"https://merchant.example/paid",'
            '"service":"service.united.wap.PreOrder","subject":"Cashier sale","time":"20261201120000",'
            '"transaction_amount":"4.00","user_confirm_key":"S0003469"}'
        ),
        "expect": (
            "out_trade_no=rrn_cashier_1&pay_scene=WAP&return_url=https://merchant.example/paid"
            "&service=service.united.wap.PreOrder&subject=Cashier sale&time=20261201120000"
            "&transaction_amount=4.00&user_confirm_key=S0003469"
        ),
    },
    {
        "name": "secret_with_spaces",
        "secret": SECRET_SPACES,
        "message": SEED_PLACE_ORDER,
    },
]


def build() -> str:
    names = [vector["name"] for vector in VECTORS]
    if len(names) != len(set(names)):
        raise ValueError("vector names must be unique")
    out = []
    for vector in VECTORS:
        if not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", vector["name"]):
            raise ValueError(f"name is not snake_case: {vector['name']}")
        secret = vector["secret"]
        if "not real" not in secret.replace("-", " "):
            raise ValueError(f"secret must be obviously fake: {vector['name']}")
        text = canonical(vector["message"])
        if "expect" in vector and text != vector["expect"]:
            raise AssertionError(
                f"{vector['name']}: canonical {text!r} != hand-worked {vector['expect']!r}"
            )
        out.append(
            {
                "name": vector["name"],
                "secret": secret,
                "message": vector["message"],
                "canonical": text,
                "sign": sign(secret, text),
            }
        )
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    if argv not in ([], ["--check"]):
        print(f"usage: {Path(__file__).name} [--check]", file=sys.stderr)
        return 2
    wanted = build().encode("utf-8")
    if argv == ["--check"]:
        current = OUTPUT.read_bytes() if OUTPUT.exists() else None
        if current != wanted:
            print(f"{OUTPUT} is out of date; regenerate it by running this script", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_bytes(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

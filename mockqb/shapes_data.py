"""The qbXML requests the simulator supports, described as data for its own schema checks.

Transcribed from Intuit's qbXML 16.0 schema (reference/xsd/qbxml160/qbxml160.xsd, qbxmlops160.xsd) with the
lengths annotated in reference/samples/intuit_qbxmlops/qbxmlops140.xml. The 13.0 schema has the same shapes
for all of these but EmployeeAdd's EmployeePayrollInfo, which 16.0 extends: the own checks follow 16.0 (the
13.0 XSD, when present, still judges a ≤13.0 message set). Every element these requests allow is described —
no subtree is left as "any content". Notation: see ``shapes_model``. The schema's own quirks are kept, e.g.
``ParentRef`` and ``ItemRef`` FullNames have no maximum length (GenericListRef), ``RefNumber`` is ≤11
only in Add/Mod (queries take any length), ``ActiveStatus``/``PaidStatus`` may be empty (their
schema default then applies), and EmployeeAddress's Addr3/Addr4/Country have no maximum length.

``ELEMENTS`` maps element names to types (the schema's global elements); a content model overrides one
locally with ``Name:TYPE``. ``REQUESTS`` maps each supported ``…Rq`` to its shape; ``QBXML`` is the
envelope, whose ``QBXMLMsgsRq`` accepts any request in ``shapes_catalog`` and checks those described here.
"""

from __future__ import annotations

import re

from .shapes_catalog import ALL_REQUESTS
from .shapes_model import UNCHECKED, Complex, Type
from .shapes_types import (
    AMT,
    BOOL,
    DATE,
    DATETIME,
    DURATION,
    FLOAT,
    GUID,
    ID,
    INT,
    INT1,
    MACRO,
    PERCENT,
    PRICE,
    QUAN,
    STR,
    Enum,
    Pattern,
    SimpleType,
    Str,
)

ELEMENTS: dict[str, Type] = {}


def _enum(values: str, default: str | None = None) -> Enum:
    return Enum(tuple(values.split()), default)


def _shape(content: str | SimpleType, **attrs: SimpleType) -> Complex:
    return Complex(content, ELEMENTS, attrs)


def _upto(name: str, count: int) -> str:
    """The schema's ``maxOccurs="count"`` (minOccurs 0): the notation has no bounded repeat, and
    ``count`` optional copies in a row accept 0 to ``count`` elements."""
    return " ".join([f"{name}?"] * count)


#: ExpirationMonth: xsd:integer (whitespace collapsed, leading zeros allowed) from 1 to 12.
_MONTH = Pattern(re.compile(r"\+?0*(1[0-2]|[1-9])"), "a month number from 1 to 12", collapse_first=True)


_SIMPLE: list[tuple[SimpleType, str]] = [
    (ID, "ListID TxnID TxnLineID LinkToTxnID ListIDWithChildren"),
    (STR, "FullName FullNameWithChildren Name FromName ToName RefNumber RefNumberCaseSensitive"),
    (STR, "FromRefNumber ToRefNumber DataExtValue Suffix TaxInfoValue"),
    (Str(16), "EditSequence"),
    (Str(4095), "Notes Memo Desc SalesDesc PurchaseDesc SerialNumber"),
    (Str(50), "IncludeRetElement BarCodeValue"),
    (Str(41), "Addr1 Addr2 Addr3 Addr4 Addr5 Note"),
    (Str(40), "LotNumber"),
    (Str(31), "City Country UnitOfMeasure DataExtName"),
    (Str(29), "Other Other1 Other2"),
    (Str(25), "PONumber"),
    (Str(21), "State"),
    (Str(13), "PostalCode FOB"),
    (BOOL, "IncludeMaxCapacity IsActive IsTaxIncluded ForceUOMChange AssignEvenIfUsed AllowOverride"),
    (BOOL, "ApplyAccountRefToExistingTxns ApplyIncomeAccountRefToExistingTxns"),
    (BOOL, "ApplyExpenseAccountRefToExistingTxns IncludeLineItems IncludeLinkedTxns IsPending"),
    (BOOL, "IsFinanceCharge IsToBePrinted IsToBeEmailed IsTaxable Override"),
    (BOOL, "IsStatementWithParent IsVendorEligibleFor1099 IsSalesTaxAgency IsTaxTrackedOnPurchases"),
    (BOOL, "IsTaxTrackedOnSales IsTaxOnTax DefaultShipTo ClearEarnings ClearNonEarnings IsSubjectToTax"),
    (BOOL, "IsResettingHoursEachNewYear IsCoveredByQualifiedPensionPlan IsStandardTaxationRequired"),
    (DATE, "TxnDate FromTxnDate ToTxnDate DueDate ShipDate ServiceDate OpenBalanceDate JobStartDate"),
    (DATE, "JobProjectedEndDate JobEndDate HiredDate OriginalHireDate AdjustedServiceDate ReleasedDate"),
    (DATE, "BirthDate WorkAuthExpireDate YearBeginsDate AccrualStartDate"),
    (DATETIME, "FromModifiedDate ToModifiedDate"),
    (DURATION, "Duration HoursAvailable HoursAccrued MaximumHours HoursUsed"),
    (INT1, "MaxReturned"),
    (INT, "ExpirationYear NoteID TaxLawVersion"),
    (_MONTH, "ExpirationMonth"),
    (GUID, "OwnerID ExternalGUID"),
    (AMT, "Amount TaxAmount AppliedAmount OpenBalance CreditLimit TargetBonus Limit"),
    (PRICE, "Rate Price SalesPrice PurchaseCost"),
    (PERCENT, "PricePercent RatePercent"),
    (QUAN, "Quantity"),
    (FLOAT, "ExchangeRate"),
    (_enum("ActiveOnly InactiveOnly All", default="ActiveOnly"), "ActiveStatus"),
    (_enum("All PaidOnly NotPaidOnly", default="All"), "PaidStatus"),
    (_enum("StartsWith Contains EndsWith"), "MatchCriterion"),
    (_enum("LessThan LessThanEqual Equal GreaterThan GreaterThanEqual"), "Operator"),
    (_enum("Billable NotBillable HasBeenBilled"), "BillableStatus"),
    (_enum("Zero BasePrice"), "OptionForPriceRuleConflict"),
    (_enum("Australia Canada UK US", default="Canada"), "SalesTaxCountry"),
    (_enum("Awarded Closed InProgress None NotAwarded Pending", default="None"), "JobStatus"),
    (_enum("Email Fax Print", default="Print"), "DeliveryMethod"),
    (_enum("None Email Fax"), "PreferredDeliveryMethod"),
    (_enum("Monthly Quarterly", default="Quarterly"), "ReportingPeriod"),
    (_enum("Officer Owner Regular Statutory", default="Regular"), "EmployeeType"),
    (_enum("PartTime FullTime"), "PartOrFullTime"),
    (_enum("Exempt NonExempt"), "Exempt"),
    (_enum("Yes No"), "KeyEmployee USCitizen Disabled OnFile USVeteran"),
    (_enum("Male Female"), "Gender"),
    (_enum("AmericianIndian Asian Black Hawaiian Hispanic White TwoOrMoreRaces"), "Ethnicity"),  # sic
    (_enum("Active Reserve"), "MilitaryStatus"),
    (_enum("Daily Weekly Biweekly Semimonthly Monthly Quarterly Yearly"), "PayPeriod"),
    (_enum("NotSet UseTimeData DoNotUseTimeData"), "UseTimeDataToCreatePaychecks"),
    (_enum("BeginningOfYear EveryHourOnPaycheck EveryPaycheck"), "AccrualPeriod"),
    (_enum("Checking Savings"), "BankAccountType"),
    (_enum("Spouse Partner Mother Father Sister Brother Son Daughter Friend Other"), "Relation"),
    (_enum("AccountsPayable AccountsReceivable Bank CostOfGoodsSold CreditCard Equity Expense FixedAsset "
           "Income LongTermLiability NonPosting OtherAsset OtherCurrentAsset OtherCurrentLiability "
           "OtherExpense OtherIncome"), "AccountType"),
    (_enum("All Today ThisWeek ThisWeekToDate ThisMonth ThisMonthToDate ThisCalendarQuarter "
           "ThisCalendarQuarterToDate ThisFiscalQuarter ThisFiscalQuarterToDate ThisCalendarYear "
           "ThisCalendarYearToDate ThisFiscalYear ThisFiscalYearToDate Yesterday LastWeek LastWeekToDate "
           "LastMonth LastMonthToDate LastCalendarQuarter LastCalendarQuarterToDate LastFiscalQuarter "
           "LastFiscalQuarterToDate LastCalendarYear LastCalendarYearToDate LastFiscalYear "
           "LastFiscalYearToDate NextWeek NextFourWeeks NextMonth NextCalendarQuarter NextCalendarYear "
           "NextFiscalQuarter NextFiscalYear"), "DateMacro"),
]

#: List references (ListID and/or FullName), by the FullName's maximum length (None: no maximum).
_REFS: list[tuple[int | None, str]] = [
    (209, "CustomerRef EntityRef SupervisorRef"),
    (159, "ClassRef ItemServiceRef AccountRef ARAccountRef IncomeAccountRef ExpenseAccountRef"),
    (159, "OverrideItemAccountRef CustomerTypeRef JobTypeRef VendorTypeRef TaxOnPurchasesAccountRef"),
    (159, "TaxOnSalesAccountRef PrefillAccountRef"),
    (101, "CustomerMsgRef"),
    (64, "CurrencyRef"),
    (41, "PrefVendorRef"),
    (31, "PayrollItemWageRef TemplateRef TermsRef ItemSalesTaxRef UnitOfMeasureSetRef PriceLevelRef"),
    (31, "OverrideUOMSetRef ItemGroupRef InventorySiteRef InventorySiteLocationRef PayScheduleRef"),
    (31, "PreferredPaymentMethodRef BillingRateRef PayrollItemNonWageRef PayrollItemTaxRef"),
    (15, "ShipMethodRef"),
    (13, "WorkersCompCodeRef"),
    (5, "SalesRepRef"),
    (3, "SalesTaxCodeRef PurchaseTaxCodeRef CustomerSalesTaxCodeRef"),
    (None, "ParentRef ItemRef SalesTaxReturnRef"),
]

_ID_LIST = "(ListID+ | FullName+ | ListIDWithChildren | FullNameWithChildren)"
_ADDRESS = _shape("Addr1? Addr2? Addr3? Addr4? Addr5? City? State? PostalCode? Country? Note?")
_TIME_FIELDS = ("TxnDate? EntityRef CustomerRef? ItemServiceRef? Rate? Duration ClassRef? "
                "PayrollItemWageRef? Notes? BillableStatus?")
_INVOICE_HEAD = ("ClassRef? ARAccountRef? TemplateRef? TxnDate? RefNumber?:STR11 BillAddress? ShipAddress? "
                 "IsPending?")
_INVOICE_MIDDLE = ("PONumber? TermsRef? DueDate? SalesRepRef? FOB? ShipDate? ShipMethodRef? "
                   "ItemSalesTaxRef? Memo? CustomerMsgRef? IsToBePrinted? IsToBeEmailed? IsTaxIncluded? "
                   "CustomerSalesTaxCodeRef? Other? ExchangeRate?")
_LINE_PRICE = "(Rate | RatePercent | PriceLevelRef)? ClassRef? Amount? TaxAmount? OptionForPriceRuleConflict?"
_LINE_SITE = ("InventorySiteRef? InventorySiteLocationRef? (SerialNumber? | LotNumber?)? ServiceDate? "
              "SalesTaxCodeRef?")
_LINE_MOD = (f"TxnLineID ItemRef? Desc? Quantity? UnitOfMeasure? OverrideUOMSetRef? {_LINE_PRICE} "
             f"{_LINE_SITE} OverrideItemAccountRef? Other1? Other2?")
# The name lists: the schema's PersonName and CommInfo groups, its ContactInfo, and the shared parts of
# CustomerAdd and CustomerMod.
_PERSON = "Salutation?:STR15 FirstName?:STR25 MiddleName?:STR5 LastName?:STR25 Suffix?"
_COMM = ("Phone?:STR21 Mobile?:STR21 Pager?:STR21 AltPhone?:STR21 Fax?:STR21 Email?:STR1023 Cc?:STR1023 "
         "Contact?:STR41 AltContact?:STR41")
_CONTACT = ("Salutation?:STR15 FirstName:STR25 MiddleName?:STR5 LastName?:STR25 JobTitle?:STR41 "
            f"{_upto('AdditionalContactRef', 5)}")
_CONTACT_REFS = _upto("AdditionalContactRef", 8)
_CUSTOMER_HEAD = (f"IsActive? ClassRef? ParentRef? CompanyName?:STR41 {_PERSON} JobTitle?:STR41 BillAddress? "
                  f"ShipAddress? {_upto('ShipToAddress', 50)} PrintAs?:STR41 {_COMM} {_CONTACT_REFS}")
_CUSTOMER_MIDDLE = ("SalesTaxCodeRef? ItemSalesTaxRef? SalesTaxCountry? ResaleNumber?:STR15 "
                    "AccountNumber?:STR99 CreditLimit? PreferredPaymentMethodRef? CreditCardInfo? JobStatus? "
                    "JobStartDate? JobProjectedEndDate? JobEndDate? JobDesc?:STR99 JobTypeRef? Notes?")
_CUSTOMER_TAIL = "IsStatementWithParent? DeliveryMethod? PreferredDeliveryMethod? PriceLevelRef?"
_HOURS = ("HoursAvailable? AccrualPeriod? HoursAccrued? MaximumHours? IsResettingHoursEachNewYear? "
          "HoursUsed? YearBeginsDate? AccrualStartDate?")
_NAMED_CONTACT = _shape("ContactName:STR40 ContactValue:STR255 Relation?")

_COMPLEX: dict[str, Complex] = {
    "IncludeListMetaData": _shape("IncludeMaxCapacity"),
    "NameFilter": _shape("MatchCriterion Name"),
    "NameRangeFilter": _shape("FromName? ToName?"),
    "TotalBalanceFilter": _shape("Operator Amount"),
    "CurrencyFilter": _shape("(ListID+ | FullName+:STR64)"),
    "ClassFilter": _shape(_ID_LIST),
    "EntityFilter": _shape(_ID_LIST),
    "AccountFilter": _shape(_ID_LIST),
    "TimeTrackingEntityFilter": _shape("(ListID+ | FullName+)"),
    "ModifiedDateRangeFilter": _shape("FromModifiedDate? ToModifiedDate?"),
    "TxnDateRangeFilter": _shape("(FromTxnDate? ToTxnDate? | DateMacro)"),
    "RefNumberFilter": _shape("MatchCriterion RefNumber"),
    "RefNumberRangeFilter": _shape("FromRefNumber? ToRefNumber?"),
    "BarCode": _shape("BarCodeValue? AssignEvenIfUsed? AllowOverride?"),
    "SalesOrPurchase": _shape("Desc? (Price | PricePercent)? AccountRef?"),
    "SalesAndPurchase": _shape("SalesDesc? SalesPrice? IncomeAccountRef? PurchaseDesc? PurchaseCost? "
                               "PurchaseTaxCodeRef? ExpenseAccountRef? PrefVendorRef?"),
    "SalesOrPurchaseMod": _shape("Desc? (Price | PricePercent)? AccountRef? ApplyAccountRefToExistingTxns?"),
    "SalesAndPurchaseMod": _shape("SalesDesc? SalesPrice? IncomeAccountRef? "
                                  "ApplyIncomeAccountRefToExistingTxns? PurchaseDesc? PurchaseCost? "
                                  "PurchaseTaxCodeRef? ExpenseAccountRef? "
                                  "ApplyExpenseAccountRefToExistingTxns? PrefVendorRef?"),
    "ItemServiceAdd": _shape("Name:STR31 BarCode? IsActive? ClassRef? ParentRef? UnitOfMeasureSetRef? "
                             "IsTaxIncluded? SalesTaxCodeRef? (SalesOrPurchase | SalesAndPurchase) "
                             "ExternalGUID?"),
    "ItemServiceMod": _shape("ListID EditSequence Name?:STR31 BarCode? IsActive? ClassRef? ParentRef? "
                             "UnitOfMeasureSetRef? ForceUOMChange? IsTaxIncluded? SalesTaxCodeRef? "
                             "(SalesOrPurchaseMod | SalesAndPurchaseMod)?"),
    "ClassAdd": _shape("Name:STR31 IsActive? ParentRef?"),
    "TimeTrackingAdd": _shape(f"{_TIME_FIELDS} ExternalGUID?", defMacro=MACRO),
    "TimeTrackingMod": _shape(f"TxnID EditSequence {_TIME_FIELDS}"),
    "BillAddress": _ADDRESS,
    "ShipAddress": _ADDRESS,
    "CreditTxnID": _shape(ID, useMacro=MACRO),
    "SetCredit": _shape("CreditTxnID TxnLineID? AppliedAmount Override?"),
    "LinkToTxn": _shape("TxnID TxnLineID"),
    "DataExt": _shape("OwnerID DataExtName DataExtValue"),
    "InvoiceLineAdd": _shape(f"ItemRef? Desc? Quantity? UnitOfMeasure? {_LINE_PRICE} {_LINE_SITE} IsTaxable? "
                             "OverrideItemAccountRef? Other1? Other2? LinkToTxn? DataExt*", defMacro=MACRO),
    "InvoiceLineGroupAdd": _shape("ItemGroupRef Desc?:STR Quantity? UnitOfMeasure? ServiceDate? "
                                  "InventorySiteRef? InventorySiteLocationRef? DataExt*"),
    "InvoiceLineMod": _shape(_LINE_MOD),
    "InvoiceLineGroupMod": _shape("TxnLineID ItemGroupRef? Quantity? UnitOfMeasure? OverrideUOMSetRef? "
                                  "InvoiceLineMod*"),
    "DiscountLineAdd": _shape("(Amount | RatePercent)? IsTaxable? AccountRef?"),
    "SalesTaxLineAdd": _shape("(Amount | RatePercent)? AccountRef?"),
    "ShippingLineAdd": _shape("Amount AccountRef?"),
    "InvoiceAdd": _shape(f"CustomerRef {_INVOICE_HEAD} IsFinanceCharge? {_INVOICE_MIDDLE} ExternalGUID? "
                         "LinkToTxnID* SetCredit* (InvoiceLineAdd | InvoiceLineGroupAdd)* DiscountLineAdd? "
                         "SalesTaxLineAdd? ShippingLineAdd?", defMacro=MACRO),
    "InvoiceMod": _shape(f"TxnID EditSequence CustomerRef? {_INVOICE_HEAD} {_INVOICE_MIDDLE} SetCredit* "
                         "(InvoiceLineMod | InvoiceLineGroupMod)*"),
    "VendorAddress": _ADDRESS,
    "ShipToAddress": _shape("Name:STR41 Addr1? Addr2? Addr3? Addr4? Addr5? City? State? PostalCode? Country? "
                            "Note? DefaultShipTo?"),
    "EmployeeAddress": _shape("Addr1? Addr2? Addr3?:STR Addr4?:STR City? State? PostalCode? Country?:STR"),
    "AdditionalContactRef": _shape("ContactName:STR40 ContactValue:STR255"),
    "Contacts": _shape(_CONTACT),
    "ContactsMod": _shape(f"ListID? EditSequence? {_CONTACT}"),
    "AdditionalNotes": _shape("Note:STR4095"),
    "AdditionalNotesMod": _shape("NoteID Note:STR4095"),
    "CreditCardInfo": _shape("CreditCardNumber?:STR25 ExpirationMonth? ExpirationYear? NameOnCard?:STR41 "
                             "CreditCardAddress?:STR41 CreditCardPostalCode?:STR41"),
    "EmergencyContacts": _shape("PrimaryContact? SecondaryContact?"),
    "PrimaryContact": _NAMED_CONTACT,
    "SecondaryContact": _NAMED_CONTACT,
    "Earnings": _shape("PayrollItemWageRef (Rate | RatePercent)?"),
    "NonEarnings": _shape("PayrollItemNonWageRef (Amount | RatePercent)? Limit?"),
    "SickHours": _shape(_HOURS),
    "VacationHours": _shape(_HOURS),
    "TaxInfo": _shape("TaxInfoCategory:STR100 TaxInfoValue"),
    "EmployeeTax": _shape("IsSubjectToTax? PayrollItemTaxRef TaxLawVersion? TaxInfo*"),
    "EmployeeTaxInfo": _shape("StateLived?:STR21 StateWorked?:STR21 IsStandardTaxationRequired? "
                              "EmployeeTax*"),
    "EmployeeDirectDepositAccount": _shape("(Amount | RatePercent)? BankName:STR31 RoutingNumber:STR9 "
                                           "AccountNumber:STR25 BankAccountType"),
    "EmployeePayrollInfo": _shape("IsCoveredByQualifiedPensionPlan? PayPeriod? PayScheduleRef? ClassRef? "
                                  "(ClearEarnings | Earnings+)? (ClearNonEarnings | NonEarnings+)? "
                                  "UseTimeDataToCreatePaychecks? SickHours? VacationHours? EmployeeTaxInfo? "
                                  "WorkersCompCodeRef? EmployeeDirectDepositAccount*"),
    "CustomerAdd": _shape(f"Name:STR41 {_CUSTOMER_HEAD} Contacts* CustomerTypeRef? TermsRef? SalesRepRef? "
                          f"OpenBalance? OpenBalanceDate? {_CUSTOMER_MIDDLE} AdditionalNotes* "
                          f"{_CUSTOMER_TAIL} ExternalGUID? TaxRegistrationNumber?:STR30 CurrencyRef?"),
    "CustomerMod": _shape(f"ListID EditSequence Name?:STR41 {_CUSTOMER_HEAD} ContactsMod* CustomerTypeRef? "
                          f"TermsRef? SalesRepRef? {_CUSTOMER_MIDDLE} AdditionalNotesMod* {_CUSTOMER_TAIL} "
                          "TaxRegistrationNumber?:STR30 CurrencyRef?"),
    "VendorAdd": _shape(f"Name:STR41 IsActive? ClassRef? CompanyName?:STR41 {_PERSON} JobTitle?:STR41 "
                        f"VendorAddress? ShipAddress? {_COMM} {_CONTACT_REFS} Contacts* NameOnCheck?:STR41 "
                        "AccountNumber?:STR99 Notes? AdditionalNotes* VendorTypeRef? TermsRef? CreditLimit? "
                        "VendorTaxIdent?:STR15 IsVendorEligibleFor1099? OpenBalance? OpenBalanceDate? "
                        "BillingRateRef? ExternalGUID? SalesTaxCodeRef? SalesTaxCountry? IsSalesTaxAgency? "
                        "SalesTaxReturnRef? TaxRegistrationNumber?:STR30 ReportingPeriod? "
                        "IsTaxTrackedOnPurchases? TaxOnPurchasesAccountRef? IsTaxTrackedOnSales? "
                        f"TaxOnSalesAccountRef? IsTaxOnTax? {_upto('PrefillAccountRef', 3)} CurrencyRef?"),
    "EmployeeAdd": _shape(f"Name? IsActive? {_PERSON} JobTitle?:STR41 SupervisorRef? Department?:STR31 "
                          "Description?:STR64 TargetBonus? EmployeeAddress? PrintAs?:STR41 Phone?:STR21 "
                          "Mobile?:STR21 Pager?:STR21 PagerPIN?:STR10 AltPhone?:STR21 Fax?:STR21 SSN?:STR15 "
                          f"Email?:STR1023 {_CONTACT_REFS} EmergencyContacts? EmployeeType? PartOrFullTime? "
                          "Exempt? KeyEmployee? Gender? HiredDate? OriginalHireDate? AdjustedServiceDate? "
                          "ReleasedDate? BirthDate? USCitizen? Ethnicity? Disabled? DisabilityDesc?:STR25 "
                          "OnFile? WorkAuthExpireDate? USVeteran? MilitaryStatus? AccountNumber?:STR99 "
                          "Notes? AdditionalNotes* BillingRateRef? EmployeePayrollInfo? ExternalGUID?"),
}

for _type, _names in _SIMPLE:
    ELEMENTS.update(dict.fromkeys(_names.split(), _type))
for _length, _names in _REFS:
    ELEMENTS.update(dict.fromkeys(_names.split(), _shape(f"ListID? FullName?:STR{_length or ''}")))
ELEMENTS.update(_COMPLEX)

_RQ = {"requestID": STR}
_QUERY = {**_RQ, "metaData": _enum("NoMetaData MetaDataOnly MetaDataAndResponseData")}
_ITERATOR = {**_QUERY, "iterator": _enum("Start Continue Stop"), "iteratorID": STR}
_LIST_FILTER = "MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? (NameFilter | NameRangeFilter)?"
_TXN_FILTER = ("MaxReturned? (ModifiedDateRangeFilter | TxnDateRangeFilter)? EntityFilter? AccountFilter? "
               "(RefNumberFilter | RefNumberRangeFilter)? CurrencyFilter?")


def _list_query(filters: str = "", tail: str = "IncludeRetElement* OwnerID*") -> str:
    """The schema's ListQuery groups: a list of ids or names, or a filter, then what to return."""
    return f"(ListID+ | FullName+ | {_LIST_FILTER} {filters})? {tail}"


def _request(content: str, attrs: dict[str, SimpleType] = _RQ) -> Complex:
    return Complex(content, ELEMENTS, attrs)


#: The supported requests: each ``…Rq`` element's shape (attributes included).
REQUESTS: dict[str, Complex] = {
    "HostQueryRq": _request("IncludeListMetaData? IncludeRetElement*"),
    "CompanyQueryRq": _request("IncludeRetElement* OwnerID*"),
    "PreferencesQueryRq": _request("IncludeRetElement*"),
    "EmployeeQueryRq": _request(_list_query(), _QUERY),
    "CustomerQueryRq": _request(_list_query("TotalBalanceFilter? CurrencyFilter? ClassFilter?"), _ITERATOR),
    "VendorQueryRq": _request(_list_query("TotalBalanceFilter? CurrencyFilter? ClassFilter?"), _ITERATOR),
    "PayrollItemWageQueryRq": _request(_list_query(tail="IncludeRetElement*"), _QUERY),
    "AccountQueryRq": _request(_list_query("AccountType* CurrencyFilter?"), _QUERY),
    "ItemServiceQueryRq": _request(_list_query("ClassFilter?"), _ITERATOR),
    "ItemServiceAddRq": _request("ItemServiceAdd IncludeRetElement*"),
    "ItemServiceModRq": _request("ItemServiceMod IncludeRetElement*"),
    "ClassQueryRq": _request(_list_query(tail="IncludeRetElement*"), _QUERY),
    "ClassAddRq": _request("ClassAdd IncludeRetElement*"),
    "CustomerAddRq": _request("CustomerAdd IncludeRetElement*"),
    "CustomerModRq": _request("CustomerMod IncludeRetElement*"),
    "VendorAddRq": _request("VendorAdd IncludeRetElement*"),
    "EmployeeAddRq": _request("EmployeeAdd IncludeRetElement*"),
    "TimeTrackingQueryRq": _request("(TxnID+ | MaxReturned? (ModifiedDateRangeFilter | TxnDateRangeFilter)? "
                                    "TimeTrackingEntityFilter?)? IncludeRetElement*", _ITERATOR),
    "TimeTrackingAddRq": _request("TimeTrackingAdd IncludeRetElement*"),
    "TimeTrackingModRq": _request("TimeTrackingMod IncludeRetElement*"),
    "InvoiceQueryRq": _request(f"(TxnID+ | RefNumber+ | RefNumberCaseSensitive+ | {_TXN_FILTER} "
                               "PaidStatus?)? IncludeLineItems? IncludeLinkedTxns? IncludeRetElement* "
                               "OwnerID*", _ITERATOR),
    "InvoiceAddRq": _request("InvoiceAdd IncludeRetElement*"),
    "InvoiceModRq": _request("InvoiceMod IncludeRetElement*"),
}

_MESSAGES: dict[str, Type] = {name: REQUESTS.get(name, UNCHECKED) for name in ALL_REQUESTS}
_MSGS_RQ = Complex(
    f"({' | '.join(ALL_REQUESTS)})*",
    _MESSAGES,
    {"onError": _enum("stopOnError continueOnError rollbackOnError"), "newMessageSetID": STR,
     "oldMessageSetID": STR, "responseData": _enum("includeAll includeNone")},
    required=frozenset({"onError"}),
)

#: The envelope. Stricter than the schema on purpose: the simulator serves request message sets only, so
#: ``QBXML`` must hold exactly one ``QBXMLMsgsRq`` (no SignonMsgsRq, subscriptions, responses or nothing).
QBXML = Complex("QBXMLMsgsRq", {"QBXMLMsgsRq": _MSGS_RQ})

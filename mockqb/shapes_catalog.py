"""Every request element qbXML 16.0 allows in ``QBXMLMsgsRq`` (reference/xsd/qbxml160/qbxmlops160.xsd).

The own checks use this list to reject an element that is not a qbXML request at all (a misspelt name);
requests on it that ``shapes_data`` does not describe pass the own checks unexamined (the XSD still
judges them when present). Written compactly as ``Object:Verb,Verb`` → ``ObjectVerbRq``.
"""

from __future__ import annotations

_GROUPED = """
    Host:Query Company:Query CompanyActivity:Query Preferences:Mod,Query Account:Add,Mod,Query
    SpecialAccount:Add AccountTaxLineInfo:Query Lead:Add,Mod,Query Customer:Add,Mod,Query
    Employee:Add,Mod,Query EmployeeDefault:Mod,Query OtherName:Add,Mod,Query Vendor:Add,Mod,Query Entity:Query
    StandardTerms:Add,Query DateDrivenTerms:Add,Query Terms:Query Class:Add,Mod,Query SalesRep:Add,Mod,Query
    CustomerType:Add,Query VendorType:Add,Query JobType:Add,Query CustomerMsg:Add,Query
    PaymentMethod:Add,Query ShipMethod:Add,Query SalesTaxCode:Add,Mod,Query ToDo:Add,Mod,Query
    ItemService:Add,Mod,Query ItemNonInventory:Add,Mod,Query ItemOtherCharge:Add,Mod,Query
    ItemInventory:Add,Mod,Query ItemInventoryAssembly:Add,Mod,Query ItemFixedAsset:Add,Mod,Query
    ItemSubtotal:Add,Mod,Query ItemDiscount:Add,Mod,Query ItemPayment:Add,Mod,Query ItemSalesTax:Add,Mod,Query
    ItemSalesTaxGroup:Add,Mod,Query ItemGroup:Add,Mod,Query SpecialItem:Add Item:Query
    PayrollItemWage:Add,Mod,Query PayrollItemNonWage:Query PayrollItemAddition:Add,Mod
    PayrollItemDeduction:Add,Mod PayrollItemCompanyContribution:Add,Mod PayrollItemWorkersCompensation:Add,Mod
    PayrollItemDirectDeposit:Add,Mod PayrollItemTax:Add,Mod PayrollItem:Query Template:Query
    PriceLevel:Add,Mod,Query BillingRate:Add,Query Vehicle:Add,Mod,Query UnitOfMeasureSet:Add,Query
    WorkersCompCode:Add,Mod,Query Form1099CategoryAccountMapping:Mod,Query SalesTaxReturn:Query
    SalesTaxReturnLine:Query Currency:Add,Mod,Query PayrollLastPeriod:Query InventorySite:Add,Mod,Query
    Invoice:Add,Mod,Query Estimate:Add,Mod,Query SalesOrder:Add,Mod,Query SalesReceipt:Add,Mod,Query
    CreditMemo:Add,Mod,Query ReceivePayment:Add,Mod,Query ReceivePaymentToDeposit:Query Charge:Add,Mod,Query
    PurchaseOrder:Add,Mod,Query Bill:Add,Mod,Query ItemReceipt:Add,Mod,Query VendorCredit:Add,Mod,Query
    BillPaymentCheck:Add,Mod,Query BillPaymentCreditCard:Add,Query BillToPay:Query
    SalesTaxPaymentCheck:Add,Mod,Query SalesTaxPayable:Query InventoryAdjustment:Add,Mod,Query
    TimeTracking:Add,Mod,Query Check:Add,Mod,Query CreditCardCharge:Add,Mod,Query
    CreditCardCredit:Add,Mod,Query JournalEntry:Add,Mod,Query Deposit:Add,Mod,Query List:Del,Merge
    ListDeleted:Query Txn:Del,Void TxnDeleted:Query ClearedStatus:Mod ListDisplay:Add,Mod TxnDisplay:Add,Mod
    Alert:Add,Del,Query DataEventRecoveryInfo:Del,Query Transaction:Query BuildAssembly:Add,Mod,Query
    ItemAssembliesCanBuild:Query ARRefundCreditCard:Add,Query VehicleMileage:Add,Query
    PayrollYearToDateAdjustment:Add,Query PayrollLiabilityAdjustment:Add,Query PayrollPriorPayment:Add,Query
    Paycheck:Query PayrollLiabilityCheck:Query TransferInventory:Add,Mod,Query ItemSites:Query BarCode:Query
    Transfer:Add,Mod,Query GeneralSummaryReport:Query JobReport:Query TimeReport:Query AgingReport:Query
    BudgetSummaryReport:Query GeneralDetailReport:Query CustomDetailReport:Query CustomSummaryReport:Query
    PayrollDetailReport:Query PayrollSummaryReport:Query DataExtDef:Add,Mod,Del,Query DataExt:Add,Mod,Del
"""


def _expand(grouped: str) -> tuple[str, ...]:
    pairs = (item.split(":") for item in grouped.split())
    return tuple(f"{obj}{verb}Rq" for obj, verbs in pairs for verb in verbs.split(","))


#: Request element names (grouped by object, as the schema lists them; QBCommandExecRq last).
ALL_REQUESTS: tuple[str, ...] = (*_expand(_GROUPED), "QBCommandExecRq")

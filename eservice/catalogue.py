"""Templates of common local-government services: staff start a service type from one and edit it in the admin.

Each template has its citizen's manual (steps, processing time in working days, documents, fee, office, legal
basis) and its form fields. Thai is the text people see; English goes in the `_en` twins (`name_en`, `label_en`,
the manual's `description_en`, `steps_en`, `office_en`, `legal_basis_en`), shown on English pages.
"""

from decimal import Decimal

AGE_BANDS = [("u20", "ต่ำกว่า 20 ปี", "Under 20"), ("20-39", "20–39 ปี", "20–39"), ("40-59", "40–59 ปี", "40–59"), ("60+", "60 ปีขึ้นไป", "60 and over")]


def _f(code, kind, label_th, label_en="", *, required=False, help_th="", choices=(), allow_other=False):
    """A field as a form version keeps it; each choice is (code, Thai, English)."""
    english = {choice[0]: choice[2] for choice in choices if len(choice) > 2 and choice[2]}
    return {"code": code, "kind": kind, "label_th": label_th, "label_en": label_en, "required": required,
            "help_th": help_th, "choices": [(choice[0], choice[1]) for choice in choices], "allow_other": allow_other,
            **({"choices_en": english} if english else {})}


def _d(name_th, name_en="", *, copies=1, required=True):
    return {"name_th": name_th, "name_en": name_en, "copies": copies, "required": required}


ID_CARD = _d("สำเนาบัตรประจำตัวประชาชน", "Copy of ID card")
HOUSE_REG = _d("สำเนาทะเบียนบ้าน", "Copy of house registration")
BANK_BOOK = _d("สำเนาสมุดบัญชีเงินฝากธนาคาร", "Copy of bank book")
CLERK_OFFICE = "สำนักปลัด ที่ทำการองค์กร วันจันทร์–ศุกร์ 08:30–16:30 น."
WORKS_OFFICE = "กองช่าง ที่ทำการองค์กร วันจันทร์–ศุกร์ 08:30–16:30 น."
CLERK_OFFICE_EN = "Office of the Permanent Secretary, at the organization's office, Monday–Friday 08:30–16:30"
WORKS_OFFICE_EN = "Division of Public Works, at the organization's office, Monday–Friday 08:30–16:30"
HEALTH_OFFICE_EN = "Division of Public Health and Environment"
WELFARE_OFFICE_EN = "Division of Social Welfare"

TEMPLATES: dict[str, dict] = {
    "general-request": {
        "name_th": "คำร้องทั่วไป", "name_en": "General request", "department": "clerk",
        "description": "ยื่นคำร้องเรื่องอื่น ๆ ที่ไม่มีแบบฟอร์มเฉพาะ",
        "keywords": "คำร้อง ทั่วไป ติดต่อ", "processing_days": 15, "fee": Decimal("0"), "office": CLERK_OFFICE,
        "legal_basis": "พระราชบัญญัติการอำนวยความสะดวกในการพิจารณาอนุญาตของทางราชการ พ.ศ. 2558",
        "steps": "ยื่นคำร้องออนไลน์หรือที่สำนักปลัด\nเจ้าหน้าที่ตรวจสอบคำร้อง\nเสนอผู้บริหารพิจารณา\nแจ้งผลทางช่องทางที่เลือก",
        "description_en": "A request on any other matter that has no form of its own",
        "steps_en": "Submit the request online or at the Office of the Permanent Secretary\nStaff check the request\nThe executives consider it\nYou are told the result through the channel you chose",
        "office_en": CLERK_OFFICE_EN,
        "legal_basis_en": "Licensing Facilitation Act B.E. 2558 (2015)",
        "documents": [ID_CARD],
        "fields": [
            _f("subject", "text", "เรื่อง", "Subject", required=True),
            _f("detail", "textarea", "รายละเอียด", "Details", required=True),
            _f("attachment", "file", "เอกสารประกอบ", "Supporting documents"),
        ],
    },
    "service-request": {
        "name_th": "คำร้องแจ้งการขอรับบริการ", "name_en": "Service request form", "department": "clerk",
        "description": "ขอรับบริการน้ำดื่ม น้ำประปา ไฟฟ้าส่องสว่าง ติดตั้งเครื่องปรับอากาศ และอื่น ๆ",
        "keywords": "น้ำดื่ม น้ำประปา น้ำไม่ไหล ไฟฟ้าส่องสว่าง ไฟถนน แอร์ เครื่องปรับอากาศ",
        "processing_days": 7, "fee": Decimal("0"), "office": CLERK_OFFICE,
        "legal_basis": "พระราชบัญญัติเทศบาล พ.ศ. 2496",
        "steps": "กรอกคำร้องออนไลน์\nเจ้าหน้าที่ตรวจสอบและนัดหมาย\nให้บริการตามคำร้อง\nแจ้งผลทางช่องทางที่ให้ไว้",
        "description_en": "Ask for drinking water, tap water, street lighting, air-conditioner installation and other services",
        "steps_en": "Fill in the request online\nStaff check it and make an appointment\nThe service is provided as requested\nYou are told the result through the contact you gave",
        "office_en": CLERK_OFFICE_EN,
        "legal_basis_en": "Municipality Act B.E. 2496 (1953)",
        "documents": [],
        "fields": [
            _f("registered_address", "address", "ที่อยู่ตามทะเบียนบ้าน", "Registered address", required=True),
            _f("age_band", "choice", "ช่วงอายุ", "Age band", required=True, choices=AGE_BANDS),
            _f("service", "choice", "บริการที่ต้องการ", "Service wanted", required=True, allow_other=True, choices=[
                ("drinking-water", "ขอรับน้ำดื่ม", "Drinking water"), ("tap-water", "น้ำประปา / น้ำไม่ไหล", "Tap water, no water"),
                ("street-light", "ไฟฟ้าส่องสว่าง", "Street lighting"), ("air-conditioner", "ติดตั้งเครื่องปรับอากาศ", "Air conditioner installation")]),
            _f("place", "text", "สถานที่", "Place", required=True),
            _f("location", "point", "ตำแหน่งบนแผนที่", "Map location"),
            _f("wanted_date", "date", "วันที่ต้องการรับบริการ", "Date wanted"),
            _f("suggestion", "textarea", "ข้อเสนอแนะ", "Suggestions"),
        ],
    },
    "tap-water-connection": {
        "name_th": "ขอติดตั้งน้ำประปา", "name_en": "Tap-water connection", "department": "works",
        "description": "ขอติดตั้งมาตรวัดน้ำและเชื่อมต่อท่อประปาหมู่บ้าน",
        "keywords": "ประปา มาตรน้ำ ขอน้ำ ติดตั้ง", "processing_days": 15, "fee": Decimal("1500.00"),
        "office": WORKS_OFFICE, "legal_basis": "ข้อบัญญัติว่าด้วยการกิจการประปา",
        "steps": "ยื่นคำร้องพร้อมเอกสาร\nเจ้าหน้าที่สำรวจจุดติดตั้ง\nชำระค่าธรรมเนียม\nติดตั้งมาตรวัดน้ำ",
        "description_en": "Ask for a water meter to be installed and connected to the village water supply",
        "steps_en": "Submit the request with the documents\nStaff survey the place of installation\nPay the fee\nThe water meter is installed",
        "office_en": WORKS_OFFICE_EN,
        "legal_basis_en": "Local ordinance on the water supply",
        "documents": [ID_CARD, HOUSE_REG, _d("แผนที่ตั้งบ้าน", "Location sketch", required=False)],
        "fields": [
            _f("citizen_id", "citizen_id", "เลขประจำตัวประชาชน", "Citizen ID", required=True),
            _f("install_address", "address", "ที่อยู่ที่ขอติดตั้ง", "Installation address", required=True),
            _f("location", "point", "ตำแหน่งบนแผนที่", "Map location"),
            _f("meter_size", "choice", "ขนาดมาตรวัดน้ำ", "Meter size", required=True,
               choices=[("half", "1/2 นิ้ว", "1/2 inch"), ("three-quarter", "3/4 นิ้ว", "3/4 inch"), ("one", "1 นิ้ว", "1 inch")]),
            _f("residents", "number", "จำนวนผู้อยู่อาศัย", "Residents"),
            _f("house_registration", "file", "สำเนาทะเบียนบ้าน", "House registration", required=True),
        ],
    },
    "water-truck": {
        "name_th": "ขอรับน้ำอุปโภคบริโภค (รถบรรทุกน้ำ)", "name_en": "Water delivery by truck", "department": "clerk",
        "description": "ขอรับการแจกจ่ายน้ำในช่วงภัยแล้งหรือน้ำประปาขัดข้อง",
        "keywords": "รถน้ำ น้ำดื่ม น้ำใช้ ภัยแล้ง แจกน้ำ", "processing_days": 3, "fee": Decimal("0"),
        "office": CLERK_OFFICE, "legal_basis": "พระราชบัญญัติป้องกันและบรรเทาสาธารณภัย พ.ศ. 2550",
        "steps": "ยื่นคำร้อง\nเจ้าหน้าที่ตรวจสอบความเดือดร้อน\nจัดรถบรรทุกน้ำตามลำดับ",
        "description_en": "Ask for water to be delivered during a drought or when the tap water fails",
        "steps_en": "Submit the request\nStaff check the need\nA water truck is sent, in turn",
        "office_en": CLERK_OFFICE_EN,
        "legal_basis_en": "Disaster Prevention and Mitigation Act B.E. 2550 (2007)",
        "documents": [],
        "fields": [
            _f("address", "address", "ที่อยู่ที่ต้องการรับน้ำ", "Delivery address", required=True),
            _f("location", "point", "ตำแหน่งบนแผนที่", "Map location"),
            _f("litres", "number", "ปริมาณน้ำที่ต้องการ (ลิตร)", "Litres wanted", required=True),
            _f("use", "multichoice", "ใช้เพื่อ", "Used for", required=True,
               choices=[("drink", "ดื่ม", "Drinking"), ("household", "อุปโภคในครัวเรือน", "Household use"), ("farm", "การเกษตร", "Farming")]),
            _f("wanted_date", "date", "วันที่ต้องการ", "Date wanted"),
        ],
    },
    "street-light-repair": {
        "name_th": "แจ้งซ่อมไฟฟ้าส่องสว่าง", "name_en": "Street-light repair request", "department": "works",
        "description": "แจ้งไฟถนนดับ กะพริบ หรือชำรุด",
        "keywords": "ไฟถนน ไฟดับ โคมไฟ ไฟฟ้าส่องสว่าง ซ่อม", "processing_days": 5, "fee": Decimal("0"),
        "office": WORKS_OFFICE, "legal_basis": "พระราชบัญญัติกำหนดแผนและขั้นตอนการกระจายอำนาจฯ พ.ศ. 2542",
        "steps": "แจ้งตำแหน่งเสาไฟ\nช่างออกตรวจสอบ\nซ่อมและแจ้งผล",
        "description_en": "Report a street light that is out, blinking or broken",
        "steps_en": "Report where the light pole is\nA technician checks it\nIt is repaired and you are told",
        "office_en": WORKS_OFFICE_EN,
        "legal_basis_en": "Determining Plans and Process of Decentralization Act B.E. 2542 (1999)",
        "documents": [],
        "fields": [
            _f("pole_no", "text", "หมายเลขเสา (ถ้ามี)", "Pole number"),
            _f("problem", "choice", "อาการ", "Problem", required=True, allow_other=True,
               choices=[("off", "ไฟดับ", "Light out"), ("blinking", "ไฟกะพริบ", "Blinking"), ("day-on", "ไฟติดกลางวัน", "On during the day")]),
            _f("location", "point", "ตำแหน่งเสาไฟ", "Pole location", required=True),
            _f("photo", "file", "ภาพถ่าย", "Photo"),
        ],
    },
    "garbage-bin": {
        "name_th": "ขอรับถังขยะ", "name_en": "Garbage bin request", "department": "health",
        "description": "ขอรับถังขยะสำหรับครัวเรือนหรือร้านค้า",
        "keywords": "ถังขยะ ขยะ เก็บขยะ", "processing_days": 7, "fee": Decimal("0"),
        "office": "กองสาธารณสุขและสิ่งแวดล้อม", "legal_basis": "พระราชบัญญัติการสาธารณสุข พ.ศ. 2535",
        "steps": "ยื่นคำร้อง\nตรวจสอบที่อยู่ในเขตเก็บขน\nส่งมอบถังขยะ",
        "description_en": "Ask for a garbage bin for a household or a shop",
        "steps_en": "Submit the request\nStaff check that the address is on a collection route\nThe bin is delivered",
        "office_en": HEALTH_OFFICE_EN,
        "legal_basis_en": "Public Health Act B.E. 2535 (1992)",
        "documents": [HOUSE_REG],
        "fields": [
            _f("address", "address", "ที่อยู่", "Address", required=True),
            _f("bins", "number", "จำนวนถัง", "Number of bins", required=True),
            _f("bin_type", "choice", "ประเภทถัง", "Bin type", required=True,
               choices=[("general", "ขยะทั่วไป", "General waste"), ("wet", "ขยะเปียก", "Wet waste"), ("recycle", "ขยะรีไซเคิล", "Recyclables")]),
        ],
    },
    "elderly-allowance": {
        "name_th": "ลงทะเบียนรับเงินเบี้ยยังชีพผู้สูงอายุ", "name_en": "Elderly allowance registration",
        "department": "welfare", "description": "สำหรับผู้ที่มีอายุครบ 60 ปีบริบูรณ์ในปีงบประมาณถัดไป",
        "keywords": "เบี้ยยังชีพ ผู้สูงอายุ คนชรา เงินผู้สูงอายุ", "processing_days": 30, "fee": Decimal("0"),
        "office": "กองสวัสดิการสังคม",
        "legal_basis": "ระเบียบกระทรวงมหาดไทยว่าด้วยหลักเกณฑ์การจ่ายเงินเบี้ยยังชีพผู้สูงอายุขององค์กรปกครองส่วนท้องถิ่น พ.ศ. 2552",
        "steps": "ยื่นแบบคำขอลงทะเบียน\nตรวจสอบคุณสมบัติ\nประกาศรายชื่อผู้มีสิทธิ\nจ่ายเงินเข้าบัญชีทุกเดือน",
        "description_en": "For people who turn 60 in the next fiscal year",
        "steps_en": "Submit the registration form\nYour eligibility is checked\nThe list of those entitled is announced\nThe allowance is paid into your bank account every month",
        "office_en": WELFARE_OFFICE_EN,
        "legal_basis_en": "Ministry of Interior Regulation on the Payment of the Elderly Allowance by Local Government Organizations B.E. 2552 (2009)",
        "documents": [ID_CARD, HOUSE_REG, BANK_BOOK],
        "fields": [
            _f("citizen_id", "citizen_id", "เลขประจำตัวประชาชน", "Citizen ID", required=True),
            _f("birth_date", "date", "วันเกิด", "Date of birth", required=True),
            _f("address", "address", "ที่อยู่ตามทะเบียนบ้าน", "Registered address", required=True),
            _f("payment", "choice", "ช่องทางรับเงิน", "Payment", required=True,
               choices=[("bank", "โอนเข้าบัญชีธนาคาร", "Bank transfer"), ("cash", "รับเงินสด", "Cash")]),
            _f("bank_book", "file", "สำเนาสมุดบัญชี", "Bank book"),
        ],
    },
    "disability-allowance": {
        "name_th": "ลงทะเบียนรับเงินเบี้ยความพิการ", "name_en": "Disability allowance registration",
        "department": "welfare", "description": "สำหรับคนพิการที่มีบัตรประจำตัวคนพิการ",
        "keywords": "เบี้ยความพิการ คนพิการ บัตรคนพิการ", "processing_days": 30, "fee": Decimal("0"),
        "office": "กองสวัสดิการสังคม",
        "legal_basis": "ระเบียบกระทรวงมหาดไทยว่าด้วยการจ่ายเงินเบี้ยความพิการให้คนพิการขององค์กรปกครองส่วนท้องถิ่น พ.ศ. 2553",
        "steps": "ยื่นแบบคำขอพร้อมบัตรคนพิการ\nตรวจสอบคุณสมบัติ\nจ่ายเงินเข้าบัญชีทุกเดือน",
        "description_en": "For people with disabilities who hold a disability card",
        "steps_en": "Submit the form with your disability card\nYour eligibility is checked\nThe allowance is paid into your bank account every month",
        "office_en": WELFARE_OFFICE_EN,
        "legal_basis_en": "Ministry of Interior Regulation on the Payment of the Disability Allowance by Local Government Organizations B.E. 2553 (2010)",
        "documents": [ID_CARD, HOUSE_REG, BANK_BOOK, _d("สำเนาบัตรประจำตัวคนพิการ", "Copy of disability card")],
        "fields": [
            _f("citizen_id", "citizen_id", "เลขประจำตัวประชาชน", "Citizen ID", required=True),
            _f("disability_card_no", "text", "เลขบัตรประจำตัวคนพิการ", "Disability card number", required=True),
            _f("disability_type", "multichoice", "ประเภทความพิการ", "Type of disability", required=True,
               allow_other=True, choices=[("sight", "การเห็น", "Sight"), ("hearing", "การได้ยิน", "Hearing"),
                                          ("movement", "การเคลื่อนไหว", "Movement"), ("mental", "จิตใจ", "Mental")]),
            _f("address", "address", "ที่อยู่ตามทะเบียนบ้าน", "Registered address", required=True),
            _f("disability_card", "file", "สำเนาบัตรคนพิการ", "Disability card", required=True),
        ],
    },
    "building-permit": {
        "name_th": "ขออนุญาตก่อสร้างอาคาร (ข.1)", "name_en": "Building permit (Kh.1)", "department": "works",
        "description": "ขออนุญาตก่อสร้าง ดัดแปลง หรือรื้อถอนอาคาร ตามแบบ ข.1",
        "keywords": "ก่อสร้าง อาคาร ใบอนุญาต ข.1 สร้างบ้าน", "processing_days": 45, "fee": Decimal("200.00"),
        "office": WORKS_OFFICE, "legal_basis": "พระราชบัญญัติควบคุมอาคาร พ.ศ. 2522 มาตรา 21",
        "steps": "ยื่นแบบ ข.1 พร้อมแบบแปลน\nตรวจพิจารณาแบบแปลน\nตรวจสถานที่\nชำระค่าธรรมเนียม\nออกใบอนุญาต (อ.1)",
        "description_en": "Permission to build, alter or demolish a building, on form Kh.1",
        "steps_en": "Submit form Kh.1 with the building plans\nThe plans are reviewed\nThe site is inspected\nPay the fee\nThe permit (Or.1) is issued",
        "office_en": WORKS_OFFICE_EN,
        "legal_basis_en": "Building Control Act B.E. 2522 (1979), section 21",
        "documents": [ID_CARD, HOUSE_REG, _d("สำเนาโฉนดที่ดิน", "Copy of land title deed"),
                      _d("แบบแปลนและรายการคำนวณ", "Plans and calculations", copies=5)],
        "fields": [
            _f("citizen_id", "citizen_id", "เลขประจำตัวประชาชน", "Citizen ID", required=True),
            _f("work", "choice", "ประเภทงาน", "Work", required=True,
               choices=[("build", "ก่อสร้าง", "Build"), ("modify", "ดัดแปลง", "Modify"), ("demolish", "รื้อถอน", "Demolish")]),
            _f("building_use", "text", "ใช้อาคารเพื่อ", "Building use", required=True),
            _f("floors", "number", "จำนวนชั้น", "Floors", required=True),
            _f("area", "number", "พื้นที่ (ตารางเมตร)", "Area (m²)", required=True),
            _f("title_deed_no", "text", "เลขที่โฉนดที่ดิน", "Title deed number", required=True),
            _f("site", "address", "ที่ตั้งอาคาร", "Site address", required=True),
            _f("location", "point", "ตำแหน่งบนแผนที่", "Map location"),
            _f("plans", "file", "แบบแปลน", "Plans", required=True),
        ],
    },
    "health-hazard-licence": {
        "name_th": "ขอใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ", "name_en": "Health-hazard business licence",
        "department": "health", "description": "กิจการตามข้อบัญญัติท้องถิ่น เช่น ร้านเสริมสวย โรงงานน้ำแข็ง อู่ซ่อมรถ",
        "keywords": "ใบอนุญาต กิจการ สุขภาพ ร้านค้า สาธารณสุข", "processing_days": 30, "fee": Decimal("500.00"),
        "office": "กองสาธารณสุขและสิ่งแวดล้อม", "legal_basis": "พระราชบัญญัติการสาธารณสุข พ.ศ. 2535 มาตรา 31–33",
        "steps": "ยื่นคำขอพร้อมเอกสาร\nเจ้าพนักงานสาธารณสุขตรวจสถานประกอบการ\nชำระค่าธรรมเนียม\nออกใบอนุญาต",
        "description_en": "Businesses listed in the local ordinance, such as beauty salons, ice factories and garages",
        "steps_en": "Submit the application with the documents\nA public health officer inspects the premises\nPay the fee\nThe licence is issued",
        "office_en": HEALTH_OFFICE_EN,
        "legal_basis_en": "Public Health Act B.E. 2535 (1992), sections 31–33",
        "documents": [ID_CARD, HOUSE_REG, _d("แผนที่ตั้งสถานประกอบการ", "Premises map")],
        "fields": [
            _f("citizen_id", "citizen_id", "เลขประจำตัวประชาชน", "Citizen ID", required=True),
            _f("business_name", "text", "ชื่อสถานประกอบการ", "Business name", required=True),
            _f("business_type", "choice", "ประเภทกิจการ", "Business type", required=True, allow_other=True,
               choices=[("beauty", "เสริมสวย / แต่งผม", "Beauty salon, hairdresser"), ("ice", "ผลิตน้ำแข็ง", "Ice making"), ("garage", "ซ่อมรถยนต์", "Car repair")]),
            _f("opening_date", "date", "วันที่เริ่มประกอบกิจการ", "Opening date"),
            _f("workers", "number", "จำนวนคนงาน", "Workers"),
            _f("premises", "address", "ที่ตั้งสถานประกอบการ", "Premises address", required=True),
            _f("contact_email", "email", "อีเมลสถานประกอบการ", "Business e-mail"),
            _f("contact_phone", "phone", "โทรศัพท์สถานประกอบการ", "Business phone"),
            _f("premises_map", "file", "แผนที่ตั้ง", "Premises map"),
        ],
    },
}
